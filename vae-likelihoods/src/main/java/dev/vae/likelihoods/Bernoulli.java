package dev.vae.likelihoods;

import com.google.auto.service.AutoService;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.Support;
import java.util.Optional;

/**
 * Independent Bernoulli pixels on logits η: log p(x) = Σ x η − softplus(η), exact and stable for
 * every η. For binary data; on continuous intensities use a continuous Bernoulli or Beta instead.
 */
public final class Bernoulli extends Likelihood {
  public static final String NAME = "bernoulli";

  public Bernoulli(int dimension) {
    super(dimension);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int outputsPerDimension() {
    return 1;
  }

  @Override
  public Support support() {
    return Support.BINARY;
  }

  @Override
  protected String outOfSupportAdvice() {
    return "for intensities in [0, 1] binarise the data (vae train --binarize static or dynamic) or use the"
        + " continuous-bernoulli or beta likelihood";
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor logits = params.raw();
    return logits.factory().kernel(FusedKernel.BernoulliLogLikelihood.class, logits, x);
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    return params.raw().sigmoid();
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.of(params.raw().gt(0.0));
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor p = mean(params);
    return p.factory().uniform(rng, p.shape(), p.dtype()).lt(p);
  }

  /** Registers {@link Bernoulli} as "bernoulli"; it takes no options. */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "independent Bernoulli on logits, for binary data (e.g. binarised MNIST)";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      options.requireAllUsed(NAME);
      return new Bernoulli(dimension);
    }
  }
}
