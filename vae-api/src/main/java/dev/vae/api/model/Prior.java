package dev.vae.api.model;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.TensorFactory;
import java.util.Optional;

/** The prior p(z) over the latent space. */
public interface Prior {
  String name();

  /** log p(z) of each row of z [n, d]: shape [n]. */
  Tensor logProb(Tensor z);

  /**
   * log p(z) of each row of z [n, d], [n], where the model draws its noise from {@code rng}: a prior
   * with latent variables of its own (a second stochastic layer) gives the log of an unbiased
   * estimate of p(z) from one draw of them, so that importance weights and the ELBO stay valid
   * bounds. Others ignore {@code rng}: {@link #logProb(Tensor)}.
   */
  default Tensor logProb(Tensor z, Rng rng) {
    return logProb(z);
  }

  /** n draws z ~ p(z), shape [n, d]. */
  Tensor sample(int n, int dimension, TensorFactory factory, DType dtype, Rng rng);

  /**
   * KL(N(μ, diag σ²) ‖ p) per example and latent dimension, [n, d], where it has a closed form;
   * empty when the KL must be estimated by Monte Carlo.
   */
  default Optional<Tensor> klFromDiagonalGaussian(Tensor mean, Tensor logVariance) {
    return Optional.empty();
  }

  /**
   * KL(N(μ, L Lᵀ) ‖ p) per example, [n], for means [n, d] and lower-triangular factors L [n, d, d]
   * with a positive diagonal, where it has a closed form; empty when it must be estimated by Monte
   * Carlo.
   */
  default Optional<Tensor> klFromGaussian(Tensor mean, Tensor scaleTril) {
    return Optional.empty();
  }
}
