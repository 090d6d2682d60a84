package dev.vae.core.prior;

import com.google.auto.service.AutoService;
import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.TensorFactory;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Mlp;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.posterior.Posterior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A second stochastic layer z₂ above the model's z (Burda et al. 2016, two layers): p(z) = ∫ p(z|z₂)
 * p(z₂) dz₂ with p(z₂) = N(0, I) and p(z|z₂) a diagonal Gaussian from an MLP, and an inference MLP
 * q(z₂|z), both trained with the model. Its density at z is estimated without bias from one draw
 * z₂ ~ q(z₂|z): p̂(z) = p(z|z₂) p(z₂) / q(z₂|z). With it, the model's ELBO is the two-layer bound
 * E[log p(x|z) + log p(z|z₂) + log p(z₂) − log q(z|x) − log q(z₂|z)] and its importance weights
 * are the two-layer model's, so IWAE and the importance-sampled log p(x) hold for it as they are.
 * Without the model's stream ({@link #logProb(Tensor)}, for plots and checks) log p(z) is estimated
 * from {@value #DRAWS} draws of z₂ from a stream of its own.
 */
public final class TwoLayerPrior implements TrainablePrior {
  public static final String NAME = "two-layer";
  /** Draws of z₂ per code in {@link #logProb(Tensor)}. */
  static final int DRAWS = 100;
  private final Mlp inference;
  private final Mlp generative;
  private final int upper;

  /**
   * @param dimension the model's latent dimension d
   * @param upper z₂'s dimension
   * @param hidden the widths of both MLPs' hidden layers, from z's side for q and from z₂'s for p
   */
  public TwoLayerPrior(Engine engine, int dimension, int upper, int[] hidden, Activation activation, Rng rng,
      DType dtype) {
    if (dimension < 1 || upper < 1) {
      throw new IllegalArgumentException("prior " + NAME + ": the latent dimension and latent2 must be at least 1, got "
          + dimension + " and " + upper);
    }
    int[] reversed = new int[hidden.length];
    Arrays.setAll(reversed, i -> hidden[hidden.length - 1 - i]);
    this.inference = Mlp.builder(engine).name("prior.inference").sizes(dimension, hidden, 2 * upper)
        .activation(activation).rng(rng).dtype(dtype).build();
    this.generative = Mlp.builder(engine).name("prior.generative").sizes(upper, reversed, 2 * dimension)
        .activation(activation).rng(rng).dtype(dtype).build();
    this.upper = upper;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** z₂'s dimension. */
  public int upperDimension() {
    return upper;
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>(inference.parameters());
    all.addAll(generative.parameters());
    return all;
  }

  /** q(z₂ | z) for codes z [n, d]. */
  public DiagonalGaussianPosterior upperPosterior(Tensor z) {
    return gaussian(inference.forward(z));
  }

  /** p(z | z₂) for codes z₂ [n, upper]. */
  private DiagonalGaussianPosterior conditional(Tensor z2) {
    return gaussian(generative.forward(z2));
  }

  /** The diagonal Gaussian whose means and log-variances are the two halves of an MLP's outputs. */
  private static DiagonalGaussianPosterior gaussian(Tensor outputs) {
    int d = outputs.dim(1) / 2;
    return new DiagonalGaussianPosterior(outputs.slice(1, 0, d), outputs.slice(1, d, 2 * d));
  }

  /**
   * The two layers' parts of log p̂(z) for one draw z₂ ~ q(z₂|z) per code z [n, d]: the draw, log
   * p(z | z₂) and log q(z₂ | z) − log p(z₂), one draw's estimate of the second layer's KL.
   */
  public Layers layers(Tensor z, Rng rng) {
    Posterior.Draws draw = upperPosterior(z).sample(1, rng);
    Tensor z2 = draw.z();
    Tensor logConditional = conditional(z2).logProb(z, 1);
    Tensor logUpperPrior = z2.square().mul(-0.5).sub(0.5 * Math.log(2 * Math.PI)).sum(false, 1);
    return new Layers(z2, logConditional, draw.logProb().sub(logUpperPrior));
  }

  /** A draw z₂ [n, upper], log p(z | z₂) [n] and log q(z₂ | z) − log p(z₂) [n]. */
  public record Layers(Tensor upper, Tensor logConditional, Tensor upperKlEstimate) {}

  /**
   * log of the mean of {@value #DRAWS} estimates p̂(z), their draws of z₂ from a stream of its own
   * (seed 0): a consistent estimate of log p(z), for plots and checks.
   */
  @Override
  public Tensor logProb(Tensor z) {
    return DrawAverage.logProb(this, z, DRAWS);
  }

  /** log p̂(z) = log p(z | z₂) + log p(z₂) − log q(z₂ | z) for one draw z₂ ~ q(z₂ | z) per code. */
  @Override
  public Tensor logProb(Tensor z, Rng rng) {
    Layers layers = layers(z, rng);
    return layers.logConditional().sub(layers.upperKlEstimate());
  }

  /** z₂ ~ N(0, I), then z ~ p(z | z₂). */
  @Override
  public Tensor sample(int n, int dimension, TensorFactory factory, DType dtype, Rng rng) {
    Tensor z2 = factory.normal(rng, Shape.of(n, upper), dtype);
    return conditional(z2).sample(1, rng).z();
  }

  /**
   * Registers {@link TwoLayerPrior} as "two-layer". Options: latent2 (50, z₂'s dimension), hidden (100,
   * the width of both MLPs' two hidden layers), depth (2), activation (tanh), as Burda et al. 2016.
   */
  @AutoService(PriorProvider.class)
  public static final class Provider implements PriorProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "a second stochastic layer z2 ~ N(0, I), p(z|z2) and q(z2|z) by MLPs (Burda et al. 2016; options:"
          + " latent2=50, hidden=100, depth=2, activation=tanh)";
    }

    @Override
    public TwoLayerPrior build(PriorContext c) {
      Options options = c.options();
      int upper = options.getInt("latent2", 50);
      int[] hidden = c.hiddenWidths(NAME, 100, 2);
      Activation activation = Activation.named(options.getString("activation", "tanh"));
      options.requireAllUsed("prior " + NAME);
      return new TwoLayerPrior(c.engine(), c.latent(), upper, hidden, activation, c.rng(), c.dtype());
    }
  }
}
