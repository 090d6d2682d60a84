package dev.vae.core.posterior;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.model.Prior;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * q(z|x) for a batch of n examples, as a {@link PosteriorFamily} makes it from the encoder's
 * outputs: reparameterised draws with their log-density, the code that stands for q, and the KL
 * from a prior where it has a closed form.
 */
public interface Posterior {
  /** The number n of examples. */
  int batchSize();

  /** The latent dimension d. */
  int dimension();

  /**
   * {@code samples} reparameterised draws z ~ q(z|x) per example, stacked sample-major
   * ([samples · n, d]), so gradients reach what q was made from.
   */
  Draws sample(int samples, Rng rng);

  /** The latent code that stands for q(z|x) [n, d]: the mean, through the flows where q has them. */
  Tensor pointEstimate();

  /**
   * The diagonal Gaussian the latent diagnostics read (active units, I(x; z)): q itself, the base
   * that flows start from, or a full-covariance Gaussian's marginals.
   */
  DiagonalGaussianPosterior base();

  /** KL(q ‖ p) where it has a closed form; empty when it must be estimated by Monte Carlo. */
  default Optional<Kl> klFrom(Prior prior) {
    return Optional.empty();
  }

  /**
   * Draws z [samples · n, d] and, computed when asked for, log q(z|x) of each [samples · n].
   */
  final class Draws {
    private final Tensor z;
    private final Supplier<Tensor> logProb;

    public Draws(Tensor z, Supplier<Tensor> logProb) {
      this.z = z;
      this.logProb = logProb;
    }

    /** The latent codes [samples · n, d]. */
    public Tensor z() {
      return z;
    }

    /** log q(z|x) of each draw [samples · n]. */
    public Tensor logProb() {
      return logProb.get();
    }
  }

  /**
   * A closed-form KL(q ‖ p) per example [n], and per example and latent dimension [n, d] where it
   * splits so (a diagonal Gaussian's does; a full-covariance one's does not).
   */
  record Kl(Tensor total, Optional<Tensor> perDimension) {}
}
