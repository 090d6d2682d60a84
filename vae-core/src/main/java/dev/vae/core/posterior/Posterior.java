package dev.vae.core.posterior;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.model.Prior;
import java.util.List;
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
   * Draws z [samples · n, d] and, computed when asked for, log q(z|x) of each [samples · n]; for a
   * posterior over stochastic layers above z as well, what it computed along each draw's path
   * through them ({@link Hierarchy}).
   */
  final class Draws {
    private final Tensor z;
    private final Supplier<Tensor> logProb;
    private final Hierarchy hierarchy;

    public Draws(Tensor z, Supplier<Tensor> logProb) {
      this(z, logProb, null);
    }

    /** Draws of a posterior over layers above z, log q the density of each whole path. */
    public Draws(Tensor z, Supplier<Tensor> logProb, Hierarchy hierarchy) {
      this.z = z;
      this.logProb = logProb;
      this.hierarchy = hierarchy;
    }

    /** The latent codes [samples · n, d]. */
    public Tensor z() {
      return z;
    }

    /** log q(z|x) of each draw [samples · n]; with layers above z, of its whole path through them. */
    public Tensor logProb() {
      return logProb.get();
    }

    /** The layers above z along each draw; empty for a posterior over z alone. */
    public Optional<Hierarchy> hierarchy() {
      return Optional.ofNullable(hierarchy);
    }
  }

  /**
   * Along each draw's path through stochastic layers above z: the draws of those layers, z₂ first
   * ([samples · n, d_l] each); log p(z, z₂, …, z_L) of the whole path [samples · n], which takes the
   * place of the prior's log p(z); and each layer's KL from its prior given the draw of the layer
   * above, in closed form per dimension, the layers side by side from z up [samples · n, Σ d_l].
   */
  record Hierarchy(List<Tensor> upper, Tensor logPrior, Tensor klPerDimension) {}

  /**
   * A closed-form KL(q ‖ p) per example [n], and per example and latent dimension [n, d] where it
   * splits so (a diagonal Gaussian's does; a full-covariance one's does not); with layers above z,
   * every layer's given the draw above, [n, Σ d_l].
   */
  record Kl(Tensor total, Optional<Tensor> perDimension) {}
}
