package dev.vae.core.model;

import com.google.auto.service.AutoService;
import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.TensorFactory;
import dev.vae.api.model.Prior;
import dev.vae.core.posterior.FullCovarianceGaussianPosterior;
import dev.vae.core.prior.PriorContext;
import dev.vae.core.prior.PriorProvider;
import java.util.Optional;

/** p(z) = N(0, I), with the KL in closed form from a diagonal Gaussian and from a full-covariance one. */
public final class StandardNormalPrior implements Prior {
  public static final String NAME = "standard-normal";
  static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Tensor logProb(Tensor z) {
    return z.square().mul(-0.5).sub(HALF_LOG_TWO_PI).sum(false, 1);
  }

  @Override
  public Tensor sample(int n, int dimension, TensorFactory factory, DType dtype, Rng rng) {
    return factory.normal(rng, Shape.of(n, dimension), dtype);
  }

  /** ½ (μ² + σ² − 1 − ln σ²) per dimension. */
  @Override
  public Optional<Tensor> klFromDiagonalGaussian(Tensor mean, Tensor logVariance) {
    return Optional.of(mean.square().add(logVariance.exp()).sub(logVariance).sub(1.0).mul(0.5));
  }

  /** ½ (tr L Lᵀ + μᵀμ − d) − Σ log L_ii. */
  @Override
  public Optional<Tensor> klFromGaussian(Tensor mean, Tensor scaleTril) {
    int d = mean.dim(1);
    Tensor trace = scaleTril.square().sum(false, 1, 2);
    Tensor logDeterminant = FullCovarianceGaussianPosterior.logDiagonal(scaleTril).sum(false, 1);
    return Optional.of(trace.add(mean.square().sum(false, 1)).sub(d).mul(0.5).sub(logDeterminant));
  }

  /** Registers {@link StandardNormalPrior} as "standard-normal"; it takes no options. */
  @AutoService(PriorProvider.class)
  public static final class Provider implements PriorProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "N(0, I), with the KL from q(z|x) in closed form (the default)";
    }

    @Override
    public StandardNormalPrior build(PriorContext context) {
      context.options().requireAllUsed("prior " + NAME);
      return new StandardNormalPrior();
    }
  }
}
