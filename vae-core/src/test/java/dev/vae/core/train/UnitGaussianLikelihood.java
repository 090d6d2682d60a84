package dev.vae.core.train;

import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.Support;

/** N(x; decoder output, 1), enough for training tests in this module without the plugin jar. */
public final class UnitGaussianLikelihood extends Likelihood {
  static final LikelihoodProvider PROVIDER = new LikelihoodProvider() {
    @Override
    public String name() {
      return "unit-gaussian";
    }

    @Override
    public String description() {
      return "N(x; mean, 1), for tests";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      options.requireAllUsed(name());
      return new UnitGaussianLikelihood(dimension);
    }
  };

  public UnitGaussianLikelihood(int dimension) {
    super(dimension);
  }

  @Override
  public String name() {
    return "unit-gaussian";
  }

  @Override
  public int outputsPerDimension() {
    return 1;
  }

  @Override
  public Support support() {
    return Support.REAL;
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    return x.sub(params.raw()).square().mul(-0.5).sub(0.5 * Math.log(2 * Math.PI)).sum(false, 1);
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    return params.raw();
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor mean = params.raw();
    return mean.add(mean.factory().normal(rng, mean.shape(), mean.dtype()));
  }
}
