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
 * Independent Poisson counts with rate λ = softplus(r) + λ_min from the decoder:
 * log p(x) = x log λ − λ − lgamma(x + 1). The mode is ⌊λ⌋ (when λ is an integer, λ − 1 is a
 * mode too). Samples are drawn on the host (inversion for small rates, Hörmann's PTRS for large)
 * and are not reparameterised.
 */
public final class Poisson extends Likelihood {
  public static final String NAME = "poisson";

  private final double minRate;

  /** Poisson with rates at least {@code minRate}. */
  public Poisson(int dimension, double minRate) {
    super(dimension);
    this.minRate = Constraints.requireNonNegative(NAME, "min-rate", minRate);
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
    return Support.COUNTS;
  }

  /** The rate λ, [n, m]. */
  public Tensor rate(DecoderOutput params) {
    return Constraints.positive(params.raw(), minRate);
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor rate = rate(params);
    return x.mul(rate.log()).sub(rate).sub(x.add(1.0).lgamma()).sum(false, 1);
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    return rate(params);
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.of(Constraints.floor(rate(params)));
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor rate = rate(params).detach();
    double[] rates = rate.toDoubles();
    HostRandom random = new HostRandom(rng);
    double[] out = new double[rates.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = random.poisson(rates[i]);
    }
    return rate.factory().fromHost(out, rate.shape(), rate.dtype());
  }

  /** Registers "poisson". Option: {@code min-rate} (default 1e-6), the floor of λ. */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "Poisson for count data, rate softplus(output) + min-rate; min-rate";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      double min = options.getDouble("min-rate", 1e-6);
      options.requireAllUsed(NAME);
      return new Poisson(dimension, min);
    }
  }
}
