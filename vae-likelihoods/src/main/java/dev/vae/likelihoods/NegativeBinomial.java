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
 * Independent negative binomial counts for over-dispersed data, in the mean parameterisation used
 * for count VAEs (e.g. scVI): mean μ = softplus(a) + μ_min and concentration (inverse dispersion)
 * r = softplus(b) + r_min from two decoder blocks, so that Var = μ + μ²/r:
 * log p(x) = lgamma(x + r) − lgamma(r) − lgamma(x + 1) − r log1p(μ/r) + x (log μ − log(r + μ)).
 * As r grows it tends to a Poisson(μ); for very large r in float32 the lgamma difference loses
 * precision, and the {@code poisson} likelihood is the better choice.
 *
 * <p>The mode is ⌊μ (r − 1)/r⌋ for r &gt; 1, else 0. Samples are Poisson(λ) with λ ~ Gamma(r,
 * scale μ/r), drawn on the host and not reparameterised.
 */
public final class NegativeBinomial extends Likelihood {
  public static final String NAME = "negative-binomial";

  private final double minMean;
  private final double minConcentration;

  /** A negative binomial with means at least {@code minMean}, concentrations at least {@code minConcentration}. */
  public NegativeBinomial(int dimension, double minMean, double minConcentration) {
    super(dimension);
    this.minMean = Constraints.requireNonNegative(NAME, "min-mean", minMean);
    this.minConcentration = Constraints.requireNonNegative(NAME, "min-concentration", minConcentration);
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
    return Support.COUNTS;
  }

  /** The mean μ, [n, m]. */
  public Tensor meanParameter(DecoderOutput params) {
    return Constraints.positive(params.block(0, dimension()), minMean);
  }

  /** The concentration r (inverse dispersion), [n, m]. */
  public Tensor concentration(DecoderOutput params) {
    return Constraints.positive(params.block(1, dimension()), minConcentration);
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor mu = meanParameter(params);
    Tensor r = concentration(params);
    Tensor perDimension = x.add(r).lgamma().sub(r.lgamma()).sub(x.add(1.0).lgamma())
        .sub(r.mul(mu.div(r).log1p())).add(x.mul(mu.log().sub(r.add(mu).log())));
    return perDimension.sum(false, 1);
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    return meanParameter(params);
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    Tensor mu = meanParameter(params);
    Tensor r = concentration(params);
    return Optional.of(Constraints.floor(mu.mul(r.sub(1.0)).div(r).maximum(0.0)));
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor muT = meanParameter(params).detach();
    double[] mu = muT.toDoubles();
    double[] r = concentration(params).detach().toDoubles();
    HostRandom random = new HostRandom(rng);
    double[] out = new double[mu.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = random.negativeBinomial(mu[i], r[i]);
    }
    return muT.factory().fromHost(out, muT.shape(), muT.dtype());
  }

  /**
   * Registers "negative-binomial". Options: {@code min-mean} (default 1e-6) and
   * {@code min-concentration} (default 1e-4), the floors of μ and r.
   */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "negative binomial for over-dispersed counts, mean and concentration per value; min-mean, "
          + "min-concentration";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      double minMean = options.getDouble("min-mean", 1e-6);
      double minConcentration = options.getDouble("min-concentration", 1e-4);
      options.requireAllUsed(NAME);
      return new NegativeBinomial(dimension, minMean, minConcentration);
    }
  }
}
