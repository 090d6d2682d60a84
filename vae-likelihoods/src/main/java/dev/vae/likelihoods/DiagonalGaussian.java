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
 * A Gaussian with diagonal covariance whose mean is the decoder's output and whose standard
 * deviation σ is fixed, learned per data dimension, or one learned value shared by all dimensions.
 * A learned σ is σ = σ_min + softplus(ρ) with ρ trainable, so it never falls below σ_min.
 */
public final class DiagonalGaussian extends Likelihood {
  public static final String NAME = "gaussian";
  static final String SCALE = "gaussian.rho";
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  /** How σ is obtained. */
  public enum Sigma {
    /** A constant the user gives. */
    FIXED,
    /** One trainable σ per data dimension. */
    LEARNED,
    /** One trainable σ for all dimensions. */
    SHARED
  }

  private final Sigma mode;
  private final double fixedSigma;
  private final double minSigma;
  private final double initialSigma;

  /** A Gaussian with a fixed σ. */
  public static DiagonalGaussian fixed(int dimension, double sigma) {
    return new DiagonalGaussian(dimension, Sigma.FIXED, sigma, 0, sigma);
  }

  /** A Gaussian with a learned σ per dimension (or one shared σ), starting at {@code initialSigma}. */
  public static DiagonalGaussian learned(int dimension, boolean shared, double initialSigma, double minSigma) {
    return new DiagonalGaussian(dimension, shared ? Sigma.SHARED : Sigma.LEARNED, Double.NaN, minSigma, initialSigma);
  }

  private DiagonalGaussian(int dimension, Sigma mode, double fixedSigma, double minSigma, double initialSigma) {
    super(dimension);
    if (mode == Sigma.FIXED && !(fixedSigma > 0)) {
      throw new IllegalArgumentException("gaussian likelihood: fixed sigma must be positive, got " + fixedSigma);
    }
    if (mode != Sigma.FIXED && (!(minSigma >= 0) || !(initialSigma > minSigma))) {
      throw new IllegalArgumentException("gaussian likelihood: need 0 <= min-sigma < initial sigma, got min-sigma="
          + minSigma + ", initial=" + initialSigma);
    }
    this.mode = mode;
    this.fixedSigma = fixedSigma;
    this.minSigma = minSigma;
    this.initialSigma = initialSigma;
  }

  public Sigma sigmaMode() {
    return mode;
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
    return Support.REAL;
  }

  @Override
  public List<ParameterSpec> ownParameters() {
    if (mode == Sigma.FIXED) {
      return List.of();
    }
    // softplus⁻¹(σ0 − σ_min) = log(expm1(σ0 − σ_min))
    double rho = Math.log(Math.expm1(initialSigma - minSigma));
    return List.of(new ParameterSpec(SCALE, mode == Sigma.SHARED ? Shape.of(1) : Shape.of(dimension()), rho));
  }

  /** σ for each dimension, broadcastable against [n, m]. */
  public Tensor sigma(DecoderOutput params) {
    if (mode == Sigma.FIXED) {
      return params.raw().full(Shape.of(1), fixedSigma);
    }
    return params.own(SCALE).softplus().add(minSigma);
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor sigma = sigma(params);
    Tensor standardised = x.sub(params.raw()).div(sigma);
    Tensor perDimension = standardised.square().mul(-0.5).sub(sigma.log()).sub(HALF_LOG_TWO_PI);
    return perDimension.sum(false, 1);
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    return params.raw();
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.of(params.raw());
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor mean = params.raw();
    return mean.add(mean.factory().normal(rng, mean.shape(), mean.dtype()).mul(sigma(params)));
  }

  /**
   * Registers "gaussian". Options: {@code sigma} = a number (fixed σ, default 1), {@code learned}
   * (per dimension) or {@code shared}; {@code min-sigma} (default 1e-3) and {@code initial-sigma}
   * (default 1) for learned σ.
   */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "diagonal Gaussian; sigma=<number>|learned|shared, min-sigma, initial-sigma";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      String sigma = options.getString("sigma", "1").toLowerCase(Locale.ROOT);
      double minSigma = options.getDouble("min-sigma", 1e-3);
      double initial = options.getDouble("initial-sigma", 1.0);
      options.requireAllUsed(NAME);
      return switch (sigma) {
        case "learned" -> learned(dimension, false, initial, minSigma);
        case "shared" -> learned(dimension, true, initial, minSigma);
        default -> {
          try {
            yield fixed(dimension, Double.parseDouble(sigma));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gaussian likelihood: sigma=" + sigma
                + " must be a positive number, 'learned' or 'shared'", e);
          }
        }
      };
    }
  }
}
