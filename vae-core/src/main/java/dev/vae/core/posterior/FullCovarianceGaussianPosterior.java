package dev.vae.core.posterior;

import com.google.auto.service.AutoService;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.model.Prior;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * q(z | x) = N(μ(x), L(x) L(x)ᵀ) with L lower triangular, from the encoder: d means, d raw
 * log-variances (log L_ii², through the variant's constraint) and the d(d − 1)/2 entries below L's
 * diagonal, row by row (scaled, see {@link Provider}). Draws are z = μ + L ε, reparameterised;
 * log q(z|x) = −½ ‖ε‖² − Σ log L_ii − (d/2) log 2π. The KL is in closed form where the prior has
 * one for a full-covariance Gaussian (the standard normal has; it does not split by dimension),
 * else estimated by Monte Carlo.
 *
 * @param mean μ [n, d]
 * @param scaleTril L [n, d, d], zero above the diagonal, positive on it
 */
public record FullCovarianceGaussianPosterior(Tensor mean, Tensor scaleTril) implements Posterior {
  /** The provider's name. */
  public static final String NAME = "full-covariance";

  @Override
  public int batchSize() {
    return mean.dim(0);
  }

  @Override
  public int dimension() {
    return mean.dim(1);
  }

  @Override
  public Draws sample(int samples, Rng rng) {
    int n = batchSize();
    int d = dimension();
    Tensor eps = mean.factory().normal(rng, Shape.of(samples, n, d), mean.dtype());
    Tensor scaled = scaleTril.reshape(1, n, d, d).mul(eps.reshape(samples, n, 1, d)).sum(false, 3);
    Tensor z = scaled.add(mean).reshape(samples * n, d);
    return new Draws(z, () -> eps.square().sum(false, 2).mul(-0.5).sub(logDiagonal(scaleTril).sum(false, 1))
        .sub(d * DiagonalGaussianPosterior.HALF_LOG_TWO_PI).reshape(samples * n));
  }

  /** log L_ii [n, d] of factors L [n, d, d]. */
  public static Tensor logDiagonal(Tensor scaleTril) {
    int d = scaleTril.dim(1);
    int[] diagonal = new int[d];
    Arrays.setAll(diagonal, i -> i * d + i);
    return scaleTril.reshape(scaleTril.dim(0), d * d).transpose().gatherRows(diagonal).transpose().log();
  }

  @Override
  public Tensor pointEstimate() {
    return mean;
  }

  /** The marginals N(μ_i, Σ_ii), Σ_ii = Σ_j L_ij². */
  @Override
  public DiagonalGaussianPosterior base() {
    return new DiagonalGaussianPosterior(mean, scaleTril.square().sum(false, 2).log());
  }

  /** The prior's closed form ({@link Prior#klFromGaussian}), where it has one. */
  @Override
  public Optional<Kl> klFrom(Prior prior) {
    return prior.klFromGaussian(mean, scaleTril).map(total -> new Kl(total, Optional.empty()));
  }

  /**
   * The family: the encoder gives d(d + 3)/2 numbers per example; the entries below L's diagonal
   * are its numbers times {@code offDiagonalScale}.
   */
  public static final class Family implements PosteriorFamily {
    private final int latent;
    private final double offDiagonalScale;

    /** The family in {@code latent} dimensions, the entries below the diagonal scaled by {@code offDiagonalScale}. */
    public Family(int latent, double offDiagonalScale) {
      if (!(offDiagonalScale > 0) || Double.isInfinite(offDiagonalScale)) {
        throw new IllegalArgumentException("posterior " + NAME + ": off-diagonal-scale must be a finite number above"
            + " 0, got " + offDiagonalScale);
      }
      this.latent = latent;
      this.offDiagonalScale = offDiagonalScale;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public int encoderOutputs() {
      return latent * (latent + 3) / 2;
    }

    @Override
    public FullCovarianceGaussianPosterior posterior(Tensor outputs, UnaryOperator<Tensor> constrainLogVariance) {
      int n = outputs.dim(0);
      int d = latent;
      Tensor logScale = constrainLogVariance.apply(outputs.slice(1, d, 2 * d)).mul(0.5);
      Tensor diagonal = logScale.exp().reshape(n, d, 1).mul(mask(outputs, d, false));
      Tensor scaleTril = diagonal;
      if (d > 1) {
        Tensor below = outputs.slice(1, 2 * d, encoderOutputs()).mul(offDiagonalScale).transpose()
            .gatherRows(belowDiagonalIndex(d)).transpose().reshape(n, d, d);
        scaleTril = below.mul(mask(outputs, d, true)).add(diagonal);
      }
      return new FullCovarianceGaussianPosterior(outputs.slice(1, 0, d), scaleTril);
    }

    @Override
    public String describe() {
      return "full-covariance Gaussian";
    }
  }

  /**
   * For each entry (i, j) of a d × d matrix, row-major, the column among the d(d − 1)/2 entries
   * below the diagonal (row by row) that fills it; 0 on and above the diagonal, which a mask clears.
   */
  private static int[] belowDiagonalIndex(int d) {
    int[] index = new int[d * d];
    for (int i = 1; i < d; i++) {
      for (int j = 0; j < i; j++) {
        index[i * d + j] = i * (i - 1) / 2 + j;
      }
    }
    return index;
  }

  /** The [d, d] mask of ones below the diagonal ({@code below}) or on it, in the dtype of {@code like}. */
  private static Tensor mask(Tensor like, int d, boolean below) {
    double[] mask = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        mask[i * d + j] = (j < i) == below ? 1 : 0;
      }
    }
    return like.factory().fromHost(mask, Shape.of(d, d), like.dtype());
  }

  /**
   * Registers the full-covariance Gaussian as "full-covariance". Option {@code off-diagonal-scale}
   * (0.1): a fresh encoder then starts near a diagonal Gaussian, and the gradient noise of the d(d −
   * 1)/2 entries below the diagonal does not swamp its shared layers. With 1 the default MNIST model
   * is 7.8 nats behind after 3 epochs (ELBO −119.9 against −112.2; the diagonal Gaussian's −112.0).
   */
  @AutoService(PosteriorProvider.class)
  public static final class Provider implements PosteriorProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "N(mu(x), L(x) L(x)^T), the Cholesky factor L from the encoder: correlated latent dimensions"
          + " (off-diagonal-scale=0.1)";
    }

    @Override
    public PosteriorFamily build(PosteriorContext context) {
      double scale = context.options().getDouble("off-diagonal-scale", 0.1);
      context.options().requireAllUsed("posterior " + NAME);
      return new Family(context.latent(), scale);
    }
  }
}
