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
import java.util.Map;
import java.util.Optional;

/**
 * A Gaussian with diagonal covariance whose mean is the decoder's output and whose standard
 * deviation σ is fixed, learned per data dimension, one learned value shared by all dimensions,
 * predicted by the decoder for each example and dimension, or calibrated. A learned σ is
 * σ = σ_min + softplus(ρ) with ρ trainable, so it never falls below σ_min.
 *
 * <p>Predicted σ (a heteroscedastic decoder): the decoder gives two outputs per dimension, the
 * means and then raw scales r, and σ = σ_min + softplus(r). The floor σ_min matters here: where the
 * data never vary (MNIST's border pixels) the likelihood grows without bound as σ shrinks, so
 * without a floor the decoder spends its training on driving those σ to zero.
 *
 * <p>Calibrated σ (the σ-VAE of Rybkin, Daniilidis and Levine, 2021): one σ shared by all
 * dimensions, set for each batch to its maximum-likelihood value given the decoder's means,
 * σ² = max(mean over the batch and the dimensions of (x − μ)², σ_min²). It is a function of the
 * whole batch, so an example's log-density depends on the others in its batch; gradients flow
 * through σ (at the optimum they vanish, so they change nothing unless σ sits on its floor).
 * Ancestral samples use the σ of the latest batch trained on, read back to the host as one number
 * per batch (validation and evaluation batches, which carry no gradient, use their own σ but leave
 * it alone); before any batch there is no σ and sampling fails, saying so. Non-finite
 * values (outside the support, seen only with validation off) are left out of the batch's σ.
 *
 * <p>That σ is the likelihood's one {@linkplain #estimates() estimate}, {@value #CALIBRATED_SIGMA}:
 * checkpoints store it, and a trained model reloaded for evaluation fixes σ at the stored value
 * ({@link #fixEstimates}), so its log-density is that of one Gaussian, the same for every batch,
 * rather than a σ re-fitted to each batch of test data; a resumed run starts from the stored value
 * and goes on re-fitting it ({@link #restoreEstimates}).
 */
public final class DiagonalGaussian extends Likelihood {
  public static final String NAME = "gaussian";
  static final String SCALE = "gaussian.rho";
  /** The name of the calibrated σ among the {@link #estimates()}. */
  public static final String CALIBRATED_SIGMA = "gaussian.calibrated-sigma";
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  /** How σ is obtained. */
  public enum Sigma {
    /** A constant the user gives. */
    FIXED,
    /** One trainable σ per data dimension. */
    LEARNED,
    /** One trainable σ for all dimensions. */
    SHARED,
    /** σ for each example and dimension, from a second block of decoder outputs. */
    DECODER,
    /** One σ for all dimensions, the maximum-likelihood value of each batch. */
    CALIBRATED
  }

  private final Sigma mode;
  private final double fixedSigma;
  private final double minSigma;
  private final double initialSigma;
  private double lastCalibratedSigma = Double.NaN;
  private boolean calibratedSigmaFixed;

  /** A Gaussian with a fixed σ. */
  public static DiagonalGaussian fixed(int dimension, double sigma) {
    return new DiagonalGaussian(dimension, Sigma.FIXED, sigma, 0, sigma);
  }

  /**
   * A Gaussian whose σ the decoder predicts for each example and dimension, never below
   * {@code minSigma} (which must be positive).
   */
  public static DiagonalGaussian predicted(int dimension, double minSigma) {
    return new DiagonalGaussian(dimension, Sigma.DECODER, Double.NaN, minSigma, Double.NaN);
  }

  /** A Gaussian with a learned σ per dimension (or one shared σ), starting at {@code initialSigma}. */
  public static DiagonalGaussian learned(int dimension, boolean shared, double initialSigma, double minSigma) {
    return new DiagonalGaussian(dimension, shared ? Sigma.SHARED : Sigma.LEARNED, Double.NaN, minSigma, initialSigma);
  }

  /**
   * A Gaussian with the calibrated shared σ of each batch (σ-VAE), never below {@code minSigma}
   * (which must be positive).
   */
  public static DiagonalGaussian calibrated(int dimension, double minSigma) {
    return new DiagonalGaussian(dimension, Sigma.CALIBRATED, Double.NaN, minSigma, Double.NaN);
  }

  private DiagonalGaussian(int dimension, Sigma mode, double fixedSigma, double minSigma, double initialSigma) {
    super(dimension);
    if (mode == Sigma.FIXED && !(fixedSigma > 0)) {
      throw new IllegalArgumentException("gaussian likelihood: fixed sigma must be positive, got " + fixedSigma);
    }
    if ((mode == Sigma.CALIBRATED || mode == Sigma.DECODER) && !(minSigma > 0 && Double.isFinite(minSigma))) {
      throw new IllegalArgumentException("gaussian likelihood: " + mode.name().toLowerCase(Locale.ROOT)
          + " sigma needs a positive min-sigma, got " + minSigma);
    }
    if ((mode == Sigma.LEARNED || mode == Sigma.SHARED) && (!(minSigma >= 0) || !(initialSigma > minSigma))) {
      throw new IllegalArgumentException("gaussian likelihood: need 0 <= min-sigma < initial sigma, got min-sigma="
          + minSigma + ", initial=" + initialSigma);
    }
    this.mode = mode;
    this.fixedSigma = fixedSigma;
    this.minSigma = minSigma;
    this.initialSigma = initialSigma;
  }

  /** How σ is obtained. */
  public Sigma sigmaMode() {
    return mode;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int outputsPerDimension() {
    return mode == Sigma.DECODER ? 2 : 1;
  }

  @Override
  public Support support() {
    return Support.REAL;
  }

  @Override
  public List<ParameterSpec> ownParameters() {
    if (mode == Sigma.FIXED || mode == Sigma.CALIBRATED || mode == Sigma.DECODER) {
      return List.of();
    }
    double rho = Constraints.positiveInverse(initialSigma, minSigma);
    return List.of(new ParameterSpec(SCALE, mode == Sigma.SHARED ? Shape.of(1) : Shape.of(dimension()), rho));
  }

  /**
   * σ for each dimension (and for a predicted σ each example), broadcastable against [n, m]. For a
   * calibrated σ this is
   * {@link #lastCalibratedSigma()}, as a constant; see {@link #calibratedSigma} for the σ
   * of given data.
   */
  public Tensor sigma(DecoderOutput params) {
    return switch (mode) {
      case FIXED -> params.raw().full(Shape.of(1), fixedSigma);
      case DECODER -> Constraints.positive(params.block(1, dimension()), minSigma);
      case CALIBRATED -> {
        if (Double.isNaN(lastCalibratedSigma)) {
          throw new IllegalStateException("gaussian likelihood with calibrated sigma: sigma comes from the batches "
              + "log-prob is evaluated on, and none has been evaluated yet; evaluate a batch first (or generate with "
              + "the mean)");
        }
        yield params.raw().full(Shape.of(1), lastCalibratedSigma);
      }
      default -> Constraints.positive(params.own(SCALE), minSigma);
    };
  }

  /**
   * The calibrated σ of a batch, shape [1]: sqrt(max(mean((x − μ)²), σ_min²)), differentiable in μ
   * (and x).
   */
  public Tensor calibratedSigma(DecoderOutput params, Tensor x) {
    return calibratedVariance(params, x).sqrt();
  }

  /** Mean squared residual over the finite residuals, so values outside the support poison no one else. */
  private Tensor calibratedVariance(DecoderOutput params, Tensor x) {
    Tensor residual = x.sub(params.raw());
    Tensor finite = residual.isFinite();
    Tensor squares = finite.where(residual, residual.fullLike(0.0)).square().sum(false, 0, 1);
    return squares.div(finite.sum(false, 0, 1).maximum(1.0)).reshape(1).maximum(minSigma * minSigma);
  }

  /**
   * The calibrated σ of the latest batch trained on (whose decoder output carries a gradient), or
   * the fixed or restored one; a batch evaluated without gradients (validation, evaluation) uses its
   * own σ for its log-prob and sets this only while there is none yet. NaN before any.
   */
  public double lastCalibratedSigma() {
    return lastCalibratedSigma;
  }

  /** The calibrated σ by the name {@value #CALIBRATED_SIGMA}; no estimates for the other modes. */
  @Override
  public Map<String, Double> estimates() {
    return mode == Sigma.CALIBRATED ? Map.of(CALIBRATED_SIGMA, lastCalibratedSigma) : Map.of();
  }

  /**
   * Fixes a calibrated σ at {@code values.get(CALIBRATED_SIGMA)}, which must be at least min-sigma
   * and finite; the other modes accept only an empty map.
   */
  @Override
  public void fixEstimates(Map<String, Double> values) {
    if (mode != Sigma.CALIBRATED) {
      super.fixEstimates(values);
      return;
    }
    lastCalibratedSigma = savedSigma(values);
    calibratedSigmaFixed = true;
  }

  /** Starts a calibrated σ from a saved value that the next training batch replaces. */
  @Override
  public void restoreEstimates(Map<String, Double> values) {
    if (mode != Sigma.CALIBRATED) {
      super.restoreEstimates(values);
      return;
    }
    lastCalibratedSigma = savedSigma(values);
  }

  private double savedSigma(Map<String, Double> values) {
    Double sigma = values.get(CALIBRATED_SIGMA);
    if (values.size() != 1 || sigma == null) {
      throw new IllegalArgumentException("gaussian likelihood with calibrated sigma: expected the estimate "
          + CALIBRATED_SIGMA + ", got " + values.keySet());
    }
    if (!(sigma >= minSigma) || !Double.isFinite(sigma)) {
      throw new IllegalArgumentException("gaussian likelihood with calibrated sigma: " + CALIBRATED_SIGMA
          + " must be finite and at least min-sigma " + minSigma + ", got " + sigma);
    }
    return sigma;
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor residual = x.sub(mean(params));
    if (mode == Sigma.CALIBRATED && !calibratedSigmaFixed) {
      Tensor variance = calibratedVariance(params, x);
      if (params.raw().requiresGrad() || Double.isNaN(lastCalibratedSigma)) {
        lastCalibratedSigma = Math.sqrt(variance.item());
      }
      Tensor perDimension = residual.square().div(variance).mul(-0.5).sub(variance.log().mul(0.5))
          .sub(HALF_LOG_TWO_PI);
      return perDimension.sum(false, 1);
    }
    Tensor sigma = sigma(params);
    Tensor standardised = residual.div(sigma);
    Tensor perDimension = standardised.square().mul(-0.5).sub(sigma.log()).sub(HALF_LOG_TWO_PI);
    return perDimension.sum(false, 1);
  }

  /** The decoder's means: its whole output, or with a predicted σ the first block. */
  @Override
  public Tensor mean(DecoderOutput params) {
    return mode == Sigma.DECODER ? params.block(0, dimension()) : params.raw();
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.of(mean(params));
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor mean = mean(params);
    return mean.add(mean.factory().normal(rng, mean.shape(), mean.dtype()).mul(sigma(params)));
  }

  /**
   * Registers "gaussian". Options: {@code sigma} = a number (fixed σ, default 1), {@code learned}
   * (per dimension), {@code shared}, {@code decoder} (predicted per example and dimension) or
   * {@code calibrated}; {@code min-sigma} (default 1e-3), the floor of learned, predicted and
   * calibrated σ; {@code initial-sigma} (default 1) for learned σ.
   */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "diagonal Gaussian; sigma=<number>|learned|shared|decoder|calibrated, min-sigma, initial-sigma";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      String sigma = options.getString("sigma", "1").toLowerCase(Locale.ROOT);
      double minSigma = options.getDouble("min-sigma", 1e-3);
      double initial = options.getDouble("initial-sigma", 1.0);
      options.requireAllUsed(NAME);
      boolean learned = sigma.equals("learned") || sigma.equals("shared");
      if (options.has("initial-sigma") && !learned) {
        throw new IllegalArgumentException("gaussian likelihood: initial-sigma applies to sigma=learned or "
            + "sigma=shared only, but sigma=" + sigma);
      }
      return switch (sigma) {
        case "learned" -> learned(dimension, false, initial, minSigma);
        case "shared" -> learned(dimension, true, initial, minSigma);
        case "decoder" -> predicted(dimension, minSigma);
        case "calibrated" -> calibrated(dimension, minSigma);
        default -> {
          try {
            yield fixed(dimension, Double.parseDouble(sigma));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gaussian likelihood: sigma=" + sigma
                + " must be a positive number, 'learned', 'shared', 'decoder' or 'calibrated'", e);
          }
        }
      };
    }
  }
}
