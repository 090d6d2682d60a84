package dev.vae.core.posterior;

import com.google.auto.service.AutoService;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.model.Prior;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * q(z | x) = N(μ(x), diag σ²(x)) for a batch, from the encoder's mean and log-variance [n, d].
 * Samples are reparameterised, z = μ + σ ε with ε ~ N(0, I), so gradients reach the encoder.
 */
public record DiagonalGaussianPosterior(Tensor mean, Tensor logVariance) implements Posterior {
  /** The provider's name. */
  public static final String NAME = "diagonal-gaussian";
  /** ½ log 2π. */
  static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  @Override
  public int batchSize() {
    return mean.dim(0);
  }

  @Override
  public int dimension() {
    return mean.dim(1);
  }

  /** σ = exp(½ log σ²) [n, d]. */
  public Tensor standardDeviation() {
    return logVariance.mul(0.5).exp();
  }

  /** {@code samples} reparameterised draws per example, with log q(z|x) = −½ Σ (ε² + log σ² + log 2π). */
  @Override
  public Draws sample(int samples, Rng rng) {
    int n = batchSize();
    int d = dimension();
    Tensor eps = mean.factory().normal(rng, Shape.of(samples, n, d), mean.dtype());
    Tensor z = eps.mul(standardDeviation()).add(mean).reshape(samples * n, d);
    return new Draws(z, () -> eps.square().add(logVariance).mul(-0.5).sub(HALF_LOG_TWO_PI).sum(false, 2)
        .reshape(samples * n));
  }

  /** log q(z | x) of any z [samples · n, d] stacked sample-major: [samples · n]. */
  public Tensor logProb(Tensor z, int samples) {
    int n = batchSize();
    int d = dimension();
    Tensor standardised = z.reshape(samples, n, d).sub(mean).div(standardDeviation());
    Tensor perDim = standardised.square().add(logVariance).mul(-0.5).sub(HALF_LOG_TWO_PI);
    return perDim.sum(false, 2).reshape(samples * n);
  }

  @Override
  public Tensor pointEstimate() {
    return mean;
  }

  @Override
  public DiagonalGaussianPosterior base() {
    return this;
  }

  /** The prior's closed form per latent dimension, where it has one. */
  @Override
  public Optional<Kl> klFrom(Prior prior) {
    return prior.klFromDiagonalGaussian(mean, logVariance).map(perDim -> new Kl(perDim.sum(false, 1),
        Optional.of(perDim)));
  }

  /** The diagonal Gaussian family: the encoder gives d means then d log-variances. */
  public static final class Family implements PosteriorFamily {
    private final int latent;

    /** The family in {@code latent} dimensions. */
    public Family(int latent) {
      this.latent = latent;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public int encoderOutputs() {
      return 2 * latent;
    }

    @Override
    public DiagonalGaussianPosterior posterior(Tensor encoderOutputs, UnaryOperator<Tensor> constrainLogVariance) {
      return of(encoderOutputs, latent, constrainLogVariance);
    }

    @Override
    public String describe() {
      return "diagonal Gaussian";
    }
  }

  /**
   * The diagonal Gaussian whose d means and d log-variances are the first 2d columns of
   * {@code outputs}, the log-variances through {@code constrainLogVariance}.
   */
  static DiagonalGaussianPosterior of(Tensor outputs, int latent, UnaryOperator<Tensor> constrainLogVariance) {
    return new DiagonalGaussianPosterior(outputs.slice(1, 0, latent),
        constrainLogVariance.apply(outputs.slice(1, latent, 2 * latent)));
  }

  /** Registers the diagonal Gaussian as "diagonal-gaussian"; it takes no options. */
  @AutoService(PosteriorProvider.class)
  public static final class Provider implements PosteriorProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "N(mu(x), diag sigma^2(x)), with the KL in closed form where the prior has one (the default)";
    }

    @Override
    public PosteriorFamily build(PosteriorContext context) {
      context.options().requireAllUsed("posterior " + NAME);
      return new Family(context.latent());
    }
  }
}
