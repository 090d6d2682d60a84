package dev.vae.likelihoods;

import com.google.auto.service.AutoService;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.ParameterSpec;
import dev.vae.api.likelihood.Support;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Independent Student-t values, robust to outliers, with location μ and scale s = softplus(r) +
 * s_min from two decoder blocks, and ν degrees of freedom either fixed or learned per data
 * dimension (ν = softplus(ρ) + ν_min, ρ trainable):
 * log p(x) = lgamma((ν+1)/2) − lgamma(ν/2) − ½ log(νπ) − log s − (ν+1)/2 · log1p(((x − μ)/s)² / ν).
 *
 * <p>Samples are μ + s · Z · sqrt(ν / V) with Z standard normal drawn on the backend and V a
 * chi-square(ν) variate, 2 · Gamma(ν/2), drawn on the host; they are reparameterised in μ and s
 * but not in ν. The mean is μ where ν &gt; 1 and NaN where it does not exist (ν ≤ 1).
 */
public final class StudentT extends Likelihood {
  public static final String NAME = "student-t";
  static final String DF = "student-t.df";
  private static final double HALF_LOG_PI = 0.5 * Math.log(Math.PI);

  private final double fixedDf;
  private final double initialDf;
  private final double minDf;
  private final double minScale;

  private StudentT(int dimension, double fixedDf, double initialDf, double minDf, double minScale) {
    super(dimension);
    this.fixedDf = fixedDf;
    this.initialDf = initialDf;
    this.minDf = minDf;
    this.minScale = Constraints.requireNonNegative(NAME, "min-scale", minScale);
  }

  /** Student-t with ν fixed at {@code df}. */
  public static StudentT fixed(int dimension, double df, double minScale) {
    if (!(df > 0) || !Double.isFinite(df)) {
      throw new IllegalArgumentException("student-t likelihood: df must be a positive number, got " + df);
    }
    return new StudentT(dimension, df, Double.NaN, Double.NaN, minScale);
  }

  /** Student-t with ν learned per dimension, starting at {@code initialDf}, never below {@code minDf}. */
  public static StudentT learned(int dimension, double initialDf, double minDf, double minScale) {
    Constraints.requireNonNegative(NAME, "min-df", minDf);
    if (!(initialDf > minDf) || !Double.isFinite(initialDf)) {
      throw new IllegalArgumentException("student-t likelihood: need min-df < initial-df, got min-df=" + minDf
          + ", initial-df=" + initialDf);
    }
    return new StudentT(dimension, Double.NaN, initialDf, minDf, minScale);
  }

  /** True if ν is a trainable parameter. */
  public boolean learnsDf() {
    return Double.isNaN(fixedDf);
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

  @Override
  public List<ParameterSpec> ownParameters() {
    if (!learnsDf()) {
      return List.of();
    }
    return List.of(new ParameterSpec(DF, Shape.of(dimension()), Constraints.positiveInverse(initialDf, minDf)));
  }

  /** The location μ, [n, m]. */
  public Tensor location(DecoderOutput params) {
    return params.block(0, dimension());
  }

  /** The scale s, [n, m]. */
  public Tensor scale(DecoderOutput params) {
    return Constraints.positive(params.block(1, dimension()), minScale);
  }

  /** ν, broadcastable against [n, m]: shape [1] when fixed, [m] when learned. */
  public Tensor df(DecoderOutput params) {
    if (!learnsDf()) {
      return params.raw().full(Shape.of(1), fixedDf);
    }
    return Constraints.positive(params.own(DF), minDf);
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor nu = df(params);
    Tensor scale = scale(params);
    Tensor z = x.sub(location(params)).div(scale);
    Tensor halfNuPlusOne = nu.add(1.0).mul(0.5);
    Tensor constant = halfNuPlusOne.lgamma().sub(nu.mul(0.5).lgamma()).sub(nu.log().mul(0.5)).sub(HALF_LOG_PI);
    Tensor perDimension = z.square().div(nu).log1p().mul(halfNuPlusOne).neg().sub(scale.log()).add(constant);
    return perDimension.sum(false, 1);
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    Tensor location = location(params);
    return df(params).gt(1.0).where(location, location.fullLike(Double.NaN));
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.of(location(params));
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor location = location(params);
    int n = location.dim(0);
    int m = dimension();
    double[] nu = df(params).detach().broadcastTo(Shape.of(1, m)).toDoubles();
    HostRandom random = new HostRandom(rng);
    double[] mixing = new double[n * m];
    for (int i = 0; i < mixing.length; i++) {
      double v = nu[i % m];
      mixing[i] = Math.sqrt(v / (2 * random.gamma(0.5 * v)));
    }
    Tensor w = location.factory().fromHost(mixing, location.shape(), location.dtype());
    Tensor z = location.factory().normal(rng, location.shape(), location.dtype());
    return location.add(z.mul(w).mul(scale(params)));
  }

  /**
   * Registers "student-t". Options: {@code df} = a positive number (fixed ν, default 5) or
   * {@code learned} (per dimension); {@code initial-df} (default 5) and {@code min-df} (default 0.1)
   * for learned ν; {@code min-scale} (default 1e-3).
   */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "Student-t with location and scale per value; df=<number>|learned, initial-df, min-df, min-scale";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      String df = options.getString("df", "5").toLowerCase(Locale.ROOT);
      double initial = options.getDouble("initial-df", 5.0);
      double minDf = options.getDouble("min-df", 0.1);
      double minScale = options.getDouble("min-scale", 1e-3);
      options.requireAllUsed(NAME);
      if (df.equals("learned")) {
        return learned(dimension, initial, minDf, minScale);
      }
      try {
        return fixed(dimension, Double.parseDouble(df), minScale);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("student-t likelihood: df=" + df + " must be a positive number or 'learned'",
            e);
      }
    }
  }
}
