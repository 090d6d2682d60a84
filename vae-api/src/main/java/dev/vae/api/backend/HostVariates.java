package dev.vae.api.backend;

/**
 * Gamma, Poisson and negative-binomial variates drawn on the host by rejection, from a source of
 * uniforms and standard normals that a subclass supplies (and with it the policy of which random
 * stream elements they use). Rejection samplers take a varying number of draws, which is why they
 * live on the host and not in a backend kernel.
 */
public abstract class HostVariates {
  private static final double[] LOG_FACTORIAL = new double[256];

  static {
    for (int k = 1; k < LOG_FACTORIAL.length; k++) {
      LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
    }
  }

  /** Uniform in [0, 1). */
  public abstract double uniform();

  /** Standard normal. */
  public abstract double normal();

  /** Uniform in (0, 1]: safe to take the logarithm of. */
  public final double uniformPositive() {
    return 1.0 - uniform();
  }

  /**
   * The logarithm of a Gamma(shape, 1) variate, by Marsaglia and Tsang (2000); for
   * {@code shape < 1} the boost Gamma(a) = Gamma(a + 1) · U^(1/a), kept in log space so tiny shapes
   * never underflow.
   */
  public final double logGamma(double shape) {
    if (!(shape > 0) || !Double.isFinite(shape)) {
      throw new IllegalArgumentException("gamma shape must be positive and finite, got " + shape);
    }
    if (shape < 1) {
      return logGamma(shape + 1) + Math.log(uniformPositive()) / shape;
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double z = normal();
      double v = 1.0 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = uniformPositive();
      double z2 = z * z;
      if (u < 1.0 - 0.0331 * z2 * z2 || Math.log(u) < 0.5 * z2 + d * (1.0 - v + Math.log(v))) {
        return Math.log(d) + Math.log(v);
      }
    }
  }

  /** A Gamma(shape, 1) variate. */
  public final double gamma(double shape) {
    return Math.exp(logGamma(shape));
  }

  /**
   * A Poisson(rate) variate: inversion by sequential search below rate 10, above it Hörmann's
   * transformed rejection with squeeze (PTRS, 1993), whose cost does not grow with the rate.
   */
  public final double poisson(double rate) {
    if (!(rate >= 0) || !Double.isFinite(rate)) {
      throw new IllegalArgumentException("Poisson rate must be non-negative and finite, got " + rate);
    }
    if (rate == 0) {
      return 0;
    }
    if (rate < 10) {
      double u = uniform();
      double p = Math.exp(-rate);
      double cdf = p;
      long k = 0;
      while (u > cdf && p > 0) {
        k++;
        p *= rate / k;
        cdf += p;
      }
      return k;
    }
    double sqrtRate = Math.sqrt(rate);
    double logRate = Math.log(rate);
    double b = 0.931 + 2.53 * sqrtRate;
    double a = -0.059 + 0.02483 * b;
    double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    while (true) {
      double u = uniform() - 0.5;
      double v = uniform();
      double us = 0.5 - Math.abs(u);
      double k = Math.floor((2 * a / us + b) * u + rate + 0.43);
      if (us >= 0.07 && v <= vr) {
        return k;
      }
      if (!(k >= 0) || (us < 0.013 && v > us)) {
        continue;
      }
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
          <= -rate + k * logRate - logFactorial(k)) {
        return k;
      }
    }
  }

  /**
   * A negative binomial count with the given mean and dispersion r (variance mean + mean²/r), as
   * Poisson(λ) with λ ~ Gamma(r, mean / r).
   */
  public final double negativeBinomial(double mean, double dispersion) {
    if (!(dispersion > 0) || !Double.isFinite(dispersion)) {
      throw new IllegalArgumentException("negative binomial dispersion must be positive and finite, got " + dispersion);
    }
    if (!(mean >= 0) || !Double.isFinite(mean)) {
      throw new IllegalArgumentException("negative binomial mean must be non-negative and finite, got " + mean);
    }
    if (mean == 0) {
      return 0;
    }
    return poisson(Math.exp(logGamma(dispersion) + Math.log(mean / dispersion)));
  }

  /** log k! for a non-negative integer k: a table below 256, Stirling's series above. */
  public static double logFactorial(double k) {
    if (k < LOG_FACTORIAL.length) {
      return LOG_FACTORIAL[(int) k];
    }
    double inv = 1.0 / k;
    double inv2 = inv * inv;
    double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
    return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + series;
  }
}
