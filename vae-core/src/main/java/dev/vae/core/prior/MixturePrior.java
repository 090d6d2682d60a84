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
import java.util.ArrayList;
import java.util.List;

/**
 * p(z) = Σ_k π_k N(z; μ_k, diag σ_k²): a mixture of K diagonal Gaussians whose means, log-variances
 * and weights (as logits) are trained with the model. The KL from q(z|x) has no closed form and is
 * estimated by Monte Carlo. Means start as draws of N(0, I), variances at 1, weights equal.
 */
public final class MixturePrior implements TrainablePrior {
  public static final String NAME = "mixture";
  private final Parameter means;
  private final Parameter logVariances;
  private final Parameter logits;

  /** K components in d dimensions, means drawn from {@code rng}; the weights stay equal unless learned. */
  public MixturePrior(Engine engine, int components, int dimension, boolean learnWeights, Rng rng, DType dtype) {
    if (components < 1 || dimension < 1) {
      throw new IllegalArgumentException("prior mixture: components and latent dimension must be at least 1, got "
          + components + " and " + dimension);
    }
    double[] initial = new double[components * dimension];
    Philox.normals(rng.seed(), rng.advance(initial.length), initial);
    this.means = Parameter.fromHost("prior.means", engine, initial, Shape.of(components, dimension), dtype);
    this.logVariances = Parameter.fromHost("prior.log-variances", engine, new double[components * dimension],
        Shape.of(components, dimension), dtype);
    this.logits = learnWeights ? Parameter.fromHost("prior.logits", engine, new double[components],
        Shape.of(components), dtype) : null;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>(List.of(means, logVariances));
    if (logits != null) {
      all.add(logits);
    }
    return all;
  }

  /** log π_k, normalised: [K]. */
  private Tensor logWeights() {
    if (logits == null) {
      return GaussianMixture.equalLogWeights(means.tensor());
    }
    Tensor l = logits.tensor();
    return l.sub(l.logSumExp(true, 0));
  }

  @Override
  public Tensor logProb(Tensor z) {
    return GaussianMixture.logDensity(z, means.tensor(), logVariances.tensor(), logWeights());
  }

  @Override
  public Tensor sample(int n, int dimension, TensorFactory factory, DType dtype, Rng rng) {
    return GaussianMixture.sample(NAME, n, dimension, means.tensor(), logVariances.tensor(), logWeights(), factory,
        dtype, rng);
  }

  /** Registers {@link MixturePrior} as "mixture". Options: components (10), learn-weights (true). */
  @AutoService(PriorProvider.class)
  public static final class Provider implements PriorProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "a mixture of K diagonal Gaussians trained with the model (options: components=10, learn-weights=true)";
    }

    @Override
    public MixturePrior build(PriorContext c) {
      Options options = c.options();
      int components = options.getInt("components", 10);
      boolean learnWeights = options.getBoolean("learn-weights", true);
      options.requireAllUsed("prior " + NAME);
      return new MixturePrior(c.engine(), components, c.latent(), learnWeights, c.rng(), c.dtype());
    }
  }
}
