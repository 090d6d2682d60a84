package dev.vae.core.prior;

import com.google.auto.service.AutoService;
import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.TensorFactory;
import dev.vae.api.backend.Philox;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The VampPrior (Tomczak and Welling 2018): p(z) = (1/K) Σ_k q(z | u_k), the model's own posterior
 * at K pseudo-inputs u_k, which are parameters in the data's shape trained with the model (the
 * encoder's gradient flows through them too). The KL from q(z|x) is estimated by Monte Carlo.
 */
public final class VampPrior implements TrainablePrior {
  public static final String NAME = "vamp";
  private final Parameter pseudoInputs;
  private final Function<Tensor, DiagonalGaussianPosterior> posterior;

  /**
   * K pseudo-inputs of the data's shape drawn from N(mean, std²), passed through {@code posterior}
   * (the model's q(z|x)) whenever the prior is evaluated.
   */
  public VampPrior(Engine engine, int count, Shape dataShape, double mean, double std,
      Function<Tensor, DiagonalGaussianPosterior> posterior, Rng rng, DType dtype) {
    if (count < 1) {
      throw new IllegalArgumentException("prior vamp: pseudo-inputs must be at least 1, got " + count);
    }
    if (!(std >= 0) || !Double.isFinite(mean) || Double.isInfinite(std)) {
      throw new IllegalArgumentException("prior vamp: pseudo-mean must be finite and pseudo-std a finite number >= 0,"
          + " got " + mean + " and " + std);
    }
    Shape shape = Shape.batch(count, dataShape);
    double[] initial = new double[shape.sizeAsInt()];
    Philox.normals(rng.seed(), rng.advance(initial.length), initial);
    Arrays.setAll(initial, i -> mean + std * initial[i]);
    this.pseudoInputs = Parameter.fromHost("prior.pseudo-inputs", engine, initial, shape, dtype);
    this.posterior = posterior;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(pseudoInputs);
  }

  /** The pseudo-inputs as they are now: [K, ...data shape]. */
  public Parameter pseudoInputs() {
    return pseudoInputs;
  }

  @Override
  public Tensor logProb(Tensor z) {
    DiagonalGaussianPosterior q = posterior.apply(pseudoInputs.tensor());
    return GaussianMixture.logDensity(z, q.mean(), q.logVariance(), GaussianMixture.equalLogWeights(q.mean()));
  }

  @Override
  public Tensor sample(int n, int dimension, TensorFactory factory, DType dtype, Rng rng) {
    DiagonalGaussianPosterior q = posterior.apply(pseudoInputs.tensor());
    return GaussianMixture.sample(NAME, n, dimension, q.mean(), q.logVariance(),
        GaussianMixture.equalLogWeights(q.mean()), factory, dtype, rng);
  }

  /** Registers {@link VampPrior} as "vamp". Options: pseudo-inputs (500), pseudo-mean (0.05), pseudo-std (0.01). */
  @AutoService(PriorProvider.class)
  public static final class Provider implements PriorProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "VampPrior: the posterior at K pseudo-inputs trained with the model (options: pseudo-inputs=500,"
          + " pseudo-mean=0.05, pseudo-std=0.01)";
    }

    @Override
    public VampPrior build(PriorContext c) {
      Options options = c.options();
      int count = options.getInt("pseudo-inputs", 500);
      double mean = options.getDouble("pseudo-mean", 0.05);
      double std = options.getDouble("pseudo-std", 0.01);
      options.requireAllUsed("prior " + NAME);
      return new VampPrior(c.engine(), count, c.dataShape(), mean, std, c.posterior(), c.rng(), c.dtype());
    }
  }
}
