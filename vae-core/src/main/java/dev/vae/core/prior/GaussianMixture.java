package dev.vae.core.prior;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.TensorFactory;
import dev.vae.api.backend.Philox;

/** Mixtures of diagonal Gaussians over the rows of z: their log-density and ancestral draws. */
final class GaussianMixture {
  private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

  private GaussianMixture() {}

  /**
   * log Σ_k w_k N(z; μ_k, diag exp(v_k)) of each row of z [n, d]: shape [n], for component means
   * and log-variances [K, d] and log-weights [K] whose exponentials sum to 1.
   */
  static Tensor logDensity(Tensor z, Tensor means, Tensor logVariances, Tensor logWeights) {
    int n = z.dim(0);
    int d = z.dim(1);
    int k = means.dim(0);
    Tensor squared = z.reshape(n, 1, d).sub(means.reshape(1, k, d)).square();
    Tensor perComponent = squared.mul(logVariances.neg().exp().reshape(1, k, d)).add(logVariances.reshape(1, k, d))
        .sum(false, 2).add(d * LOG_TWO_PI).mul(-0.5);
    return perComponent.add(logWeights.reshape(1, k)).logSumExp(false, 1);
  }

  /** Log-weights log(1/K) of K equal components, for components of the given means [K, d]. */
  static Tensor equalLogWeights(Tensor means) {
    int k = means.dim(0);
    return means.factory().full(Shape.of(k), means.dtype(), -Math.log(k));
  }

  /**
   * n draws of {@code dimension} values: a component for each from the weights (exp of
   * {@code logWeights} [K], on the host), then a draw of its Gaussian, in {@code dtype}. A dimension
   * other than the components' is refused, naming the prior.
   */
  static Tensor sample(String prior, int n, int dimension, Tensor means, Tensor logVariances, Tensor logWeights,
      TensorFactory factory, DType dtype, Rng rng) {
    if (dimension != means.dim(1)) {
      throw new IllegalArgumentException("prior %s: is over %d latent dimensions, asked for draws in %d".formatted(
          prior, means.dim(1), dimension));
    }
    double[] weights = logWeights.exp().toDoubles();
    double[] u = new double[n];
    // Normals are made in pairs from two uniforms of the stream: starting and ending on an even element
    // keeps the component draws out of the pairs the Gaussian noise uses.
    rng.advance(rng.offset() % 2);
    Philox.uniformDoubles(rng.seed(), rng.advance(n), u);
    rng.advance(n % 2);
    int[] components = new int[n];
    for (int i = 0; i < n; i++) {
      double cumulative = 0;
      int j = 0;
      while (j < weights.length - 1 && (cumulative += weights[j]) <= u[i]) {
        j++;
      }
      components[i] = j;
    }
    Tensor scale = logVariances.gatherRows(components).mul(0.5).exp();
    Tensor eps = factory.normal(rng, Shape.of(n, means.dim(1)), dtype);
    return eps.mul(scale).add(means.gatherRows(components)).cast(dtype);
  }
}
