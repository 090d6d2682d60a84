package dev.vae.likelihoods;

import com.google.auto.service.AutoService;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.Support;
import java.util.Optional;

/**
 * Independent Laplace (double exponential) values with location μ and scale b = softplus(r) + b_min
 * from two decoder blocks: log p(x) = −log(2b) − |x − μ| / b; an L1 reconstruction loss with a
 * learned scale. Samples are μ + b (E₁ − E₂) with E₁, E₂ standard exponential, reparameterised.
 */
public final class Laplace extends Likelihood {
  public static final String NAME = "laplace";
  private static final double LOG_TWO = Math.log(2.0);

  private final double minScale;

  /** Laplace with scales at least {@code minScale}. */
  public Laplace(int dimension, double minScale) {
    super(dimension);
    this.minScale = Constraints.requireNonNegative(NAME, "min-scale", minScale);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int outputsPerDimension() {
    return 2;
  }

  @Override
  public Support support() {
    return Support.REAL;
  }

  /** The location μ, [n, m]. */
  public Tensor location(DecoderOutput params) {
    return params.block(0, dimension());
  }

  /** The scale b, [n, m]. */
  public Tensor scale(DecoderOutput params) {
    return Constraints.positive(params.block(1, dimension()), minScale);
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor scale = scale(params);
    return x.sub(location(params)).abs().div(scale).add(scale.log()).add(LOG_TWO).neg().sum(false, 1);
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    return location(params);
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.of(location(params));
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor location = location(params);
    Tensor u = location.factory().uniform(rng, location.shape().withDim(0, 2 * location.dim(0)), location.dtype());
    Tensor exponential = u.neg().log1p().neg();
    int n = location.dim(0);
    Tensor difference = exponential.slice(0, 0, n).sub(exponential.slice(0, n, 2 * n));
    return location.add(difference.mul(scale(params)));
  }

  /** Registers "laplace". Option: {@code min-scale} (default 1e-3), the floor of the scale. */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "Laplace with location and scale per value (L1 reconstruction); min-scale";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      double min = options.getDouble("min-scale", 1e-3);
      options.requireAllUsed(NAME);
      return new Laplace(dimension, min);
    }
  }
}
