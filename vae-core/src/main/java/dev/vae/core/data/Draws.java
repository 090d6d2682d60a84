package dev.vae.core.data;

import dev.vae.api.Rng;
import dev.vae.api.backend.Philox;

/**
 * Sequential draws from an {@link Rng}'s float64 stream, for samplers that use a varying number of
 * uniforms and normals (rejection sampling). Every value comes from stream elements reserved by
 * {@link Rng#advance}, and a normal always takes a whole Box-Muller pair of its own, so uniforms
 * and normals never share stream elements.
 */
final class Draws {
  private final Rng rng;

  Draws(Rng rng) {
    this.rng = rng;
  }

  /** U[0, 1) from the next element of the float64 stream. */
  double uniform() {
    return Philox.uniformDouble(rng.seed(), rng.advance(1));
  }

  /** A uniform integer in [0, bound), bound positive; the bias of flooring is below 2^-53 * bound. */
  int below(int bound) {
    return (int) (uniform() * bound);
  }

  /** N(0, 1) from a Box-Muller pair of stream elements reserved for it alone. */
  double normal() {
    if ((rng.offset() & 1) != 0) {
      rng.advance(1);
    }
    return Philox.normal(rng.seed(), rng.advance(2));
  }

  /**
   * Fills {@code out} with standard normals taken in order from the stream, both halves of each
   * Box-Muller pair used. The stream is first aligned to a pair, and an odd count leaves the
   * unused half of the last pair reserved, so nothing drawn later shares its uniforms.
   */
  void normals(double[] out) {
    if ((rng.offset() & 1) != 0) {
      rng.advance(1);
    }
    long first = rng.advance(out.length + (out.length & 1));
    Philox.normals(rng.seed(), first, out);
  }

  /**
   * Gamma(shape, 1) by Marsaglia and Tsang (2000), with the boost U^(1/shape) for shape below 1.
   */
  double gamma(double shape) {
    if (!(shape > 0) || Double.isInfinite(shape)) {
      throw new IllegalArgumentException("gamma shape must be positive and finite, got " + shape);
    }
    if (shape < 1) {
      double u = uniform();
      return gamma(shape + 1) * Math.pow(1 - u, 1 / shape);
    }
    double d = shape - 1.0 / 3.0;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = normal();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = 1 - uniform();
      double x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  /**
   * Poisson(mean): sequential inversion below a mean of 10, otherwise Hörmann's transformed
   * rejection with squeeze (PTRS, 1993), both exact.
   */
  long poisson(double mean) {
    if (!(mean >= 0) || Double.isInfinite(mean)) {
      throw new IllegalArgumentException("Poisson mean must be non-negative and finite, got " + mean);
    }
    if (mean == 0) {
      return 0;
    }
    if (mean < 10) {
      double u = uniform();
      double p = Math.exp(-mean);
      double cumulative = p;
      long k = 0;
      while (u > cumulative && p > 0) {
        k++;
        p *= mean / k;
        cumulative += p;
      }
      return k;
    }
    double slam = Math.sqrt(mean);
    double logLam = Math.log(mean);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    while (true) {
      double u = uniform() - 0.5;
      double v = uniform();
      double us = 0.5 - Math.abs(u);
      long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) {
        return k;
      }
      if (k < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
          <= -mean + k * logLam - logGamma(k + 1.0)) {
        return k;
      }
    }
  }

  /**
   * A negative binomial count with the given mean and dispersion r (variance mean + mean²/r), as
   * Poisson(λ) with λ ~ Gamma(r, mean / r).
   */
  long negativeBinomial(double mean, double dispersion) {
    if (!(dispersion > 0) || Double.isInfinite(dispersion)) {
      throw new IllegalArgumentException(
          "negative binomial dispersion must be positive and finite, got " + dispersion);
    }
    if (mean == 0) {
      return 0;
    }
    return poisson(gamma(dispersion) * mean / dispersion);
  }

  private static final double[] LANCZOS = {
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  /** ln Γ(x) for x ≥ 0.5 by the Lanczos approximation (g = 7), relative error about 1e-15. */
  static double logGamma(double x) {
    if (x < 0.5) {
      throw new IllegalArgumentException("logGamma is implemented for x >= 0.5, got " + x);
    }
    double z = x - 1;
    double sum = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }

  /**
   * A uniformly random permutation of 0..n-1 (Fisher-Yates), drawing n - 1 elements of the
   * float64 stream.
   */
  static int[] permutation(int n, Rng rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, rng);
    return order;
  }

  /** Shuffles {@code values} in place (Fisher-Yates), drawing length - 1 stream elements. */
  static void shuffle(int[] values, Rng rng) {
    int n = values.length;
    if (n < 2) {
      return;
    }
    long first = rng.advance(n - 1);
    for (int i = n - 1; i > 0; i--) {
      double u = Philox.uniformDouble(rng.seed(), first + (n - 1 - i));
      int j = (int) (u * (i + 1));
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
