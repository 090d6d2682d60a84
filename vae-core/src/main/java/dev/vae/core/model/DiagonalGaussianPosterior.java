package dev.vae.core.model;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;

/**
 * q(z | x) = N(μ(x), diag σ²(x)) for a batch, from the encoder's mean and log-variance [n, d].
 * Samples are reparameterised, z = μ + σ ε with ε ~ N(0, I), so gradients reach the encoder.
 */
public record DiagonalGaussianPosterior(Tensor mean, Tensor logVariance) {
  public int batchSize() {
    return mean.dim(0);
  }

  public int dimension() {
    return mean.dim(1);
  }

  public Tensor standardDeviation() {
    return logVariance.mul(0.5).exp();
  }

  /** {@code samples} reparameterised draws per example, stacked sample-major: [samples · n, d]. */
  public Tensor sample(int samples, Rng rng) {
    int n = batchSize();
    int d = dimension();
    Tensor eps = mean.factory().normal(rng, Shape.of(samples, n, d), mean.dtype());
    Tensor z = eps.mul(standardDeviation()).add(mean);
    return z.reshape(samples * n, d);
  }

  /** log q(z | x) of z [samples · n, d] stacked sample-major: [samples · n]. */
  public Tensor logProb(Tensor z, int samples) {
    int n = batchSize();
    int d = dimension();
    Tensor zs = z.reshape(samples, n, d);
    Tensor standardised = zs.sub(mean).div(standardDeviation());
    Tensor perDim = standardised.square().add(logVariance).mul(-0.5).sub(StandardNormalPrior.HALF_LOG_TWO_PI);
    return perDim.sum(false, 2).reshape(samples * n);
  }
}
