package dev.vae.likelihoods;

import com.google.auto.service.AutoService;
import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.Support;
import java.util.Optional;

/**
 * Independent Beta(α, β) intensities, with concentrations α = softplus(a) + c_min and
 * β = softplus(b) + c_min from two decoder blocks: log p(x) = (α − 1) log x + (β − 1) log1p(−x)
 * + lgamma(α + β) − lgamma(α) − lgamma(β).
 *
 * <p>Its support is the open interval: data holding an exact 0 or 1 (as images scaled from bytes
 * do) is rejected with a message saying so. The option {@code squeeze=ε} (0 &lt; ε &lt; 1/2) opts
 * into reading such data through x → ε + (1 − 2ε) x, which maps [0, 1] into [ε, 1 − ε]; the
 * log-density is then the Beta log-density of the squeezed value plus the log-Jacobian
 * log(1 − 2ε) per dimension, a density on [0, 1] that lacks only the Beta's mass outside
 * [ε, 1 − ε]. Mean, mode and samples are those of Beta(α, β) itself, on its own scale.
 *
 * <p>Samples are drawn on the host (two Marsaglia–Tsang gamma variates in log space, so small
 * concentrations never underflow) and are not reparameterised. The mode (α − 1)/(α + β − 2) exists
 * where α &gt; 1 and β &gt; 1; elsewhere the density has no interior maximum and the mode is NaN.
 */
public final class Beta extends Likelihood {
  public static final String NAME = "beta";
  private static final Support STRICT = new Support("(0, 1), both ends excluded (for data with exact 0 or 1,"
      + " opt into the squeeze x -> eps + (1 - 2 eps) x with the option squeeze=eps, e.g. squeeze=1e-3)",
      Support.OPEN_UNIT_INTERVAL::contains, Support.OPEN_UNIT_INTERVAL.tensorTest().orElseThrow());

  private final double squeeze;
  private final double minConcentration;

  /** Beta on the open interval, concentrations at least {@code minConcentration}. */
  public Beta(int dimension, double minConcentration) {
    this(dimension, minConcentration, 0.0);
  }

  /**
   * Beta with the squeeze x → ε + (1 − 2ε) x when {@code squeeze} = ε is in (0, 1/2); 0 means no
   * squeeze (open interval only).
   */
  public Beta(int dimension, double minConcentration, double squeeze) {
    super(dimension);
    if (!(squeeze >= 0 && squeeze < 0.5)) {
      throw new IllegalArgumentException("beta likelihood: squeeze must be in (0, 0.5) (or 0 for none), got "
          + squeeze);
    }
    this.squeeze = squeeze;
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
    return squeeze > 0 ? Support.UNIT_INTERVAL : STRICT;
  }

  /** The squeeze ε; 0 when off. */
  public double squeeze() {
    return squeeze;
  }

  /** α, [n, m]. */
  public Tensor alpha(DecoderOutput params) {
    return Constraints.positive(params.block(0, dimension()), minConcentration);
  }

  /** β, [n, m]. */
  public Tensor beta(DecoderOutput params) {
    return Constraints.positive(params.block(1, dimension()), minConcentration);
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor alpha = alpha(params);
    Tensor beta = beta(params);
    Tensor y = squeeze > 0 ? x.mul(1 - 2 * squeeze).add(squeeze) : x;
    Tensor perDimension = alpha.sub(1.0).mul(y.log()).add(beta.sub(1.0).mul(y.neg().log1p()))
        .add(alpha.add(beta).lgamma()).sub(alpha.lgamma()).sub(beta.lgamma());
    if (squeeze > 0) {
      perDimension = perDimension.add(Math.log1p(-2 * squeeze));
    }
    return perDimension.sum(false, 1);
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    Tensor alpha = alpha(params);
    return alpha.div(alpha.add(beta(params)));
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    Tensor alpha = alpha(params);
    Tensor beta = beta(params);
    Tensor interior = alpha.gt(1.0).mul(beta.gt(1.0));
    Tensor mode = alpha.sub(1.0).div(alpha.add(beta).sub(2.0).maximum(1e-30));
    return Optional.of(interior.where(mode, mode.fullLike(Double.NaN)));
  }

  /** X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β), on the host; not reparameterised. */
  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor alphaT = alpha(params).detach();
    double[] alpha = alphaT.toDoubles();
    double[] beta = beta(params).detach().toDoubles();
    HostRandom random = new HostRandom(rng);
    boolean single = alphaT.dtype() == DType.FLOAT32;
    double low = single ? Float.MIN_NORMAL : Double.MIN_NORMAL;
    double high = single ? 1.0 - 0x1.0p-24 : 1.0 - 0x1.0p-53;
    double[] out = new double[alpha.length];
    for (int i = 0; i < out.length; i++) {
      double logRatio = random.logGamma(beta[i]) - random.logGamma(alpha[i]);
      double value = logRatio > 0 ? Math.exp(-logRatio) / (1 + Math.exp(-logRatio)) : 1 / (1 + Math.exp(logRatio));
      out[i] = Math.min(high, Math.max(low, value));
    }
    return alphaT.factory().fromHost(out, alphaT.shape(), alphaT.dtype());
  }

  /**
   * Registers "beta". Options: {@code squeeze} = ε in (0, 0.5) to accept exact 0 and 1 (default: off);
   * {@code min-concentration} (default 1e-3), the floor of α and β.
   */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "Beta on (0, 1) with two concentrations; squeeze=eps accepts exact 0 and 1, min-concentration";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      double squeeze = options.getDouble("squeeze", 0.0);
      double min = options.getDouble("min-concentration", 1e-3);
      options.requireAllUsed(NAME);
      return new Beta(dimension, min, squeeze);
    }
  }
}
