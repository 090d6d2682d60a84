package dev.vae.core.model;

import dev.vae.api.Tensor;

/**
 * The ELBO of a batch and its parts, each reported separately: reconstruction log-likelihood
 * E_q[log p(x|z)] and KL(q(z|x) ‖ p(z)) per example, KL per latent dimension (batch mean), and the
 * batch-mean ELBO = reconstruction − KL that training maximises.
 */
public record ElboTerms(Tensor reconstruction, Tensor kl, Tensor klPerDimension) {
  /** Mean over the batch of reconstruction − KL. */
  public Tensor elbo() {
    return reconstruction.sub(kl).mean();
  }

  public Tensor meanReconstruction() {
    return reconstruction.mean();
  }

  public Tensor meanKl() {
    return kl.mean();
  }
}
