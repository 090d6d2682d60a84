package dev.vae.core.prior;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.model.Prior;

/**
 * log p(z) of a prior with latent variables of its own, as the log of the mean of many unbiased
 * estimates p̂(z) ({@link Prior#logProb(Tensor, Rng)}), their draws from a stream of its own (seed
 * 0): a consistent estimate, for plots and checks.
 */
final class DrawAverage {
  private DrawAverage() {}

  /** log (1/draws) Σ p̂(z) for each row of z [n, d]: [n]. */
  static Tensor logProb(Prior prior, Tensor z, int draws) {
    int n = z.dim(0);
    Tensor repeated = z.broadcastTo(Shape.of(draws, n, z.dim(1))).reshape(draws * n, z.dim(1));
    return prior.logProb(repeated, new Rng(0)).reshape(draws, n).logSumExp(false, 0).sub(Math.log(draws));
  }
}
