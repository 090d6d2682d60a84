package dev.vae.variants;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.TensorFactory;
import dev.vae.api.model.Prior;
import java.util.List;
import java.util.Optional;

/**
 * The sequential prior of delta-VAE (Razavi et al. 2019) over the latent dimensions in order:
 * z_1 ~ N(0, 1) and z_t | z_{t−1} ~ N(α z_{t−1}, 1 − α²), so every z_t is marginally N(0, 1) and
 * Corr(z_s, z_t) = α^|s−t|. A factorised posterior cannot match its correlations, so the KL has the
 * positive floor {@link #klFloor} whatever the encoder does.
 */
public final class Ar1Prior implements Prior {
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  private final double alpha;

  public Ar1Prior(double alpha) {
    if (!(alpha > -1 && alpha < 1)) {
      throw new IllegalArgumentException("the AR(1) coefficient alpha must lie in (-1, 1), got " + alpha);
    }
    this.alpha = alpha;
  }

  @Override
  public String name() {
    return "ar1(alpha=" + alpha + ")";
  }

  /**
   * The smallest KL(q ‖ p) over factorised Gaussians q in d dimensions: −½ ln(1 − α²) from the
   * first dimension, ½ ln(1 + α²) from each of the d − 2 middle ones, 0 from the last (and 0 when
   * d = 1), reached at μ = 0 with σ_t² = 1 − α² for the first and (1 − α²)/(1 + α²) in the middle.
   */
  public double klFloor(int dimension) {
    if (dimension < 2) {
      return 0;
    }
    return -0.5 * Math.log1p(-alpha * alpha) + 0.5 * (dimension - 2) * Math.log1p(alpha * alpha);
  }

  @Override
  public Tensor logProb(Tensor z) {
    int d = z.dim(1);
    Tensor first = z.slice(1, 0, 1).square().mul(-0.5).sum(false, 1).sub(HALF_LOG_TWO_PI);
    if (d == 1) {
      return first;
    }
    double innovation = 1 - alpha * alpha;
    Tensor residual = z.slice(1, 1, d).sub(z.slice(1, 0, d - 1).mul(alpha));
    Tensor rest = residual.square().div(-2 * innovation).sum(false, 1)
        .sub((d - 1) * (HALF_LOG_TWO_PI + 0.5 * Math.log(innovation)));
    return first.add(rest);
  }

  /** z = ε Lᵀ with L the Cholesky factor of the AR(1) covariance α^|s−t|: one matrix product. */
  @Override
  public Tensor sample(int n, int dimension, TensorFactory factory, DType dtype, Rng rng) {
    double[] factor = new double[dimension * dimension];
    double innovationSd = Math.sqrt(1 - alpha * alpha);
    for (int t = 0; t < dimension; t++) {
      for (int s = 0; s <= t; s++) {
        factor[t * dimension + s] = Math.pow(alpha, t - s) * (s == 0 ? 1 : innovationSd);
      }
    }
    Tensor lower = factory.fromHost(factor, Shape.of(dimension, dimension), dtype);
    return factory.normal(rng, Shape.of(n, dimension), dtype).matmul(lower, false, true);
  }

  /**
   * Per dimension t: −½ ln σ_t² − ½ + ½ ln v_t + E[(z_t − a_t z_{t−1})²] / (2 v_t), with v_1 = 1,
   * a_1 = 0 and v_t = 1 − α², a_t = α after; E[(z_t − α z_{t−1})²] = (μ_t − α μ_{t−1})² + σ_t² +
   * α² σ_{t−1}². The dimensions sum to the exact KL; each one carries its own conditional term.
   */
  @Override
  public Optional<Tensor> klFromDiagonalGaussian(Tensor mean, Tensor logVariance) {
    int d = mean.dim(1);
    Tensor variance = logVariance.exp();
    Tensor firstSquare = mean.slice(1, 0, 1).square().add(variance.slice(1, 0, 1));
    Tensor first = firstSquare.sub(logVariance.slice(1, 0, 1)).sub(1).mul(0.5);
    if (d == 1) {
      return Optional.of(first);
    }
    double innovation = 1 - alpha * alpha;
    Tensor residualMean = mean.slice(1, 1, d).sub(mean.slice(1, 0, d - 1).mul(alpha));
    Tensor expectedSquare = residualMean.square().add(variance.slice(1, 1, d))
        .add(variance.slice(1, 0, d - 1).mul(alpha * alpha));
    Tensor rest = expectedSquare.div(2 * innovation).sub(logVariance.slice(1, 1, d).mul(0.5))
        .add(0.5 * Math.log(innovation) - 0.5);
    return Optional.of(mean.factory().concat(List.of(first, rest), 1));
  }
}
