package dev.vae.examples.plugin;

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
 * Independent logistic values with location μ and scale s = softplus(r) + s_min from two decoder
 * blocks (μ for every dimension, then r): with z = (x − μ) / s,
 * log p(x) = −z − log s − 2 log(1 + e^−z) = log σ(z) + log σ(−z) − log s, written with the
 * stable log-sigmoid so it stays exact for any |z|. A bell like the Gaussian's with heavier
 * (exponential) tails; mean and mode μ, variance π² s² / 3.
 *
 * <p>Samples are μ + s (log u − log(1 − u)) with u uniform, the inverse CDF, so they are
 * reparameterised. u is kept at least {@link #SMALLEST_UNIFORM}, so a draw of exactly 0 gives a
 * large finite value instead of −∞.
 *
 * <p>This class is an example of a likelihood shipped in a jar of its own: it needs only vae-api,
 * and its {@link Provider} registered with {@code @AutoService} is all the command line needs to
 * find it by name once the jar is on the classpath.
 */
public final class Logistic extends Likelihood {
  /** The name the likelihood is selected by. */
  public static final String NAME = "logistic";
  /** The floor of the uniform numbers behind samples, far below float32's resolution near 0. */
  public static final double SMALLEST_UNIFORM = 1e-30;

  private final double minScale;

  /** Logistic values over {@code dimension} dimensions, with scales at least {@code minScale} (finite, ≥ 0). */
  public Logistic(int dimension, double minScale) {
    super(dimension);
    if (!(minScale >= 0) || !Double.isFinite(minScale)) {
      throw new IllegalArgumentException(NAME + " likelihood: min-scale must be a finite number >= 0, got "
          + minScale);
    }
    this.minScale = minScale;
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

  /** The scale s = softplus(r) + s_min, [n, m]. */
  public Tensor scale(DecoderOutput params) {
    Tensor scale = params.block(1, dimension()).softplus();
    return minScale == 0 ? scale : scale.add(minScale);
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor scale = scale(params);
    Tensor z = x.sub(location(params)).div(scale);
    return z.logSigmoid().add(z.neg().logSigmoid()).sub(scale.log()).sum(false, 1);
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
    Tensor u = location.factory().uniform(rng, location.shape(), location.dtype()).maximum(SMALLEST_UNIFORM);
    Tensor standard = u.log().sub(u.neg().log1p());
    return location.add(standard.mul(scale(params)));
  }

  /** Registers "logistic". Option: {@code min-scale} (default 1e-3), the floor of the scale. */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "logistic with location and scale per value (example plugin jar); min-scale";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      double minScale = options.getDouble("min-scale", 1e-3);
      options.requireAllUsed(NAME);
      return new Logistic(dimension, minScale);
    }
  }
}
