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
import dev.vae.core.nn.Dense;
import dev.vae.core.nn.Mlp;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.posterior.Posterior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stochastic layers z₂ … z_L above the model's z with top-down inference, as in the ladder VAE
 * (Sønderby et al. 2016) and NVAE (Vahdat and Kautz 2020). The generative side is p(z_L) = N(0, I)
 * and p(z_l | z_{l+1}), diagonal Gaussians from MLPs, down to z = z₁, which the decoder reads.
 * Inference reads the encoder's q(z|x) as layer 1's bottom-up message; an MLP makes each layer's
 * message from the one below. q(z_L | x) is the top message; below it, q(z_l | z_{l+1}, x) combines
 * the layer's message with p(z_l | z_{l+1}) ({@link Combination}: as a residual change to the prior,
 * or precision-weighted), so every layer's KL is in closed form given the draw above it
 * ({@link LadderPosterior}). The MLPs' output layers start at zero, so every layer above starts
 * with q(z_l | ·) = p(z_l | ·) and p(z|z₂) = N(0, I): with the residual combination a new model is
 * the one-layer VAE, and the layers above come into use as training finds them useful. The marginal p(z) has no closed form: the posterior's draws carry log p of their
 * whole path; {@link #logProb(Tensor)} (for plots) averages p(z | z₂) over {@value #DRAWS} ancestral
 * draws of the layers above.
 */
public final class LadderPrior implements TrainablePrior {
  public static final String NAME = "ladder";
  /** Ancestral draws of the layers above z per code in {@link #logProb(Tensor)}. */
  static final int DRAWS = 100;
  /** The layers' dimensions, z first. */
  private final int[] dimensions;
  private final Combination combination;
  /** Element l − 2 makes layer l's message from layer l − 1's (2 d_{l−1} numbers to 2 d_l). */
  private final List<Mlp> bottomUp = new ArrayList<>();
  /** Element l − 1 is p(z_l | z_{l+1}) (d_{l+1} numbers to 2 d_l). */
  private final List<Mlp> topDown = new ArrayList<>();

  /**
   * @param dimensions the layers' dimensions, z's (the model's latent dimension) first, then z₂'s…
   * @param hidden the hidden widths of every MLP, from its input
   * @param combination how a layer's bottom-up message and its prior make its posterior
   */
  public LadderPrior(Engine engine, int[] dimensions, int[] hidden, Activation activation, Combination combination,
      Rng rng, DType dtype) {
    if (dimensions.length < 2 || Arrays.stream(dimensions).anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException("prior " + NAME + " needs at least one layer above z and every dimension at"
          + " least 1, got " + Arrays.toString(dimensions));
    }
    this.dimensions = dimensions.clone();
    this.combination = combination;
    for (int l = 1; l < dimensions.length; l++) {
      bottomUp.add(Mlp.builder(engine).name("prior.bottom-up" + (l + 1))
          .sizes(2 * dimensions[l - 1], hidden, 2 * dimensions[l]).activation(activation).rng(rng).dtype(dtype)
          .build());
      topDown.add(Mlp.builder(engine).name("prior.top-down" + l).sizes(dimensions[l], hidden, 2 * dimensions[l - 1])
          .activation(activation).rng(rng).dtype(dtype).build());
    }
    // Output layers at zero: the layers above start as their priors (see above).
    Stream.concat(bottomUp.stream(), topDown.stream()).forEach(m -> {
      Dense output = m.layers().get(m.layers().size() - 1);
      output.parameters().forEach(p -> p.replace(engine.backend().fromHost(new double[p.shape().sizeAsInt()],
          p.shape(), dtype)));
    });
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The layers' dimensions, z's first. */
  public int[] layerDimensions() {
    return dimensions.clone();
  }

  /** How each layer's message and prior make its posterior. */
  public Combination combination() {
    return combination;
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    bottomUp.forEach(m -> all.addAll(m.parameters()));
    topDown.forEach(m -> all.addAll(m.parameters()));
    return all;
  }

  /**
   * The posterior over every layer for a batch, from the encoder's q(z|x), which must be a diagonal
   * Gaussian: it is layer 1's bottom-up message, and the layers above make theirs of it.
   */
  public LadderPosterior posterior(Posterior encoded) {
    return posterior(encoded, upperMessages(encoded));
  }

  /**
   * The bottom-up messages of the layers above z, made of z's (the encoder's q(z|x)) by the MLPs:
   * [n, Σ_{l≥2} 2 d_l], z₂'s means and log-variances, then z₃'s…
   */
  public Tensor upperMessages(Posterior encoded) {
    DiagonalGaussianPosterior first = firstMessage(encoded);
    List<Tensor> messages = new ArrayList<>();
    Tensor below = first.mean().factory().concat(List.of(first.mean(), first.logVariance()), 1);
    for (Mlp up : bottomUp) {
      below = up.forward(below);
      messages.add(below);
    }
    return below.factory().concat(messages, 1);
  }

  /**
   * The posterior over every layer from z's message (the encoder's q(z|x)) and those of the layers
   * above as {@link #upperMessages} lays them out, made by the MLPs or optimised for each example.
   */
  public LadderPosterior posterior(Posterior encoded, Tensor upperMessages) {
    List<DiagonalGaussianPosterior> messages = new ArrayList<>(List.of(firstMessage(encoded)));
    int from = 0;
    for (int l = 1; l < dimensions.length; l++) {
      int d = dimensions[l];
      messages.add(new DiagonalGaussianPosterior(upperMessages.slice(1, from, from + d),
          upperMessages.slice(1, from + d, from + 2 * d)));
      from += 2 * d;
    }
    return new LadderPosterior(this, messages);
  }

  private static DiagonalGaussianPosterior firstMessage(Posterior encoded) {
    if (!(encoded instanceof DiagonalGaussianPosterior message)) {
      throw new IllegalArgumentException("prior " + NAME + " combines the encoder's q(z|x) with the layers above as"
          + " Gaussians, which needs the " + DiagonalGaussianPosterior.NAME + " posterior; got "
          + encoded.getClass().getSimpleName());
    }
    return message;
  }

  /** p(z_l | z_{l+1}) for draws of layer l + 1 [rows, d_{l+1}]; l counts from 1 (z). */
  DiagonalGaussianPosterior conditional(int layer, Tensor above) {
    return gaussian(topDown.get(layer - 1).forward(above));
  }

  /** The diagonal Gaussian whose means and log-variances are the two halves of an MLP's outputs. */
  private static DiagonalGaussianPosterior gaussian(Tensor outputs) {
    int d = outputs.dim(1) / 2;
    return new DiagonalGaussianPosterior(outputs.slice(1, 0, d), outputs.slice(1, d, 2 * d));
  }

  /** z₂ [n, d₂] drawn ancestrally from the layers above it: z_L ~ N(0, I), then down. */
  private Tensor drawSecondLayer(int n, TensorFactory factory, DType dtype, Rng rng) {
    int top = dimensions.length;
    Tensor z = factory.normal(rng, Shape.of(n, dimensions[top - 1]), dtype);
    for (int l = top - 1; l >= 2; l--) {
      z = conditional(l, z).sample(1, rng).z();
    }
    return z;
  }

  /**
   * log of the mean of p(z | z₂) over {@value #DRAWS} ancestral draws of the layers above, from a
   * stream of its own (seed 0): a consistent estimate of log p(z), for plots and checks.
   */
  @Override
  public Tensor logProb(Tensor z) {
    return DrawAverage.logProb(this, z, DRAWS);
  }

  /** log p(z | z₂) for one ancestral draw of the layers above per code: p(z) without bias. */
  @Override
  public Tensor logProb(Tensor z, Rng rng) {
    Tensor above = drawSecondLayer(z.dim(0), z.factory(), z.dtype(), rng);
    return conditional(1, above).logProb(z, 1);
  }

  /** z_L ~ N(0, I), then each layer from the one above, down to z. */
  @Override
  public Tensor sample(int n, int dimension, TensorFactory factory, DType dtype, Rng rng) {
    if (dimension != dimensions[0]) {
      throw new IllegalArgumentException("prior " + NAME + " was built for " + dimensions[0]
          + " latent dimensions, asked for " + dimension);
    }
    return conditional(1, drawSecondLayer(n, factory, dtype, rng)).sample(1, rng).z();
  }

  /**
   * How a layer's bottom-up message N(μ̂, σ̂²) and its prior p(z_l | z_{l+1}) = N(μ_p, σ_p²) make
   * q(z_l | z_{l+1}, x).
   */
  public enum Combination {
    /**
     * Their product, normalised (the ladder VAE): precision 1/σ̂² + 1/σ_p², mean (μ̂/σ̂² + μ_p/σ_p²) σ².
     */
    PRECISION {
      @Override
      DiagonalGaussianPosterior combine(DiagonalGaussianPosterior message, DiagonalGaussianPosterior prior) {
        Tensor messagePrecision = message.logVariance().neg().exp();
        Tensor priorPrecision = prior.logVariance().neg().exp();
        Tensor precision = messagePrecision.add(priorPrecision);
        Tensor mean = message.mean().mul(messagePrecision).add(prior.mean().mul(priorPrecision)).div(precision);
        return new DiagonalGaussianPosterior(mean, precision.log().neg());
      }
    },
    /** The message as a change to the prior (NVAE): mean μ_p + μ̂, variance σ_p² σ̂². */
    RESIDUAL {
      @Override
      DiagonalGaussianPosterior combine(DiagonalGaussianPosterior message, DiagonalGaussianPosterior prior) {
        return new DiagonalGaussianPosterior(prior.mean().add(message.mean()),
            prior.logVariance().add(message.logVariance()));
      }
    };

    abstract DiagonalGaussianPosterior combine(DiagonalGaussianPosterior message, DiagonalGaussianPosterior prior);
  }

  /**
   * Registers {@link LadderPrior} as "ladder". Options: latents (the dimensions of the layers above
   * z, from z up, joined by x: default 10), hidden (the MLPs' width, 200), depth (their hidden
   * layers, 2), activation (tanh), combination (residual or precision; residual).
   */
  @AutoService(PriorProvider.class)
  public static final class Provider implements PriorProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "stochastic layers above z with top-down inference (ladder VAE, NVAE); every layer's KL in closed"
          + " form (options: latents=10 (e.g. 32x16, from z up), hidden=200, depth=2, activation=tanh,"
          + " combination=residual or precision)";
    }

    @Override
    public LadderPrior build(PriorContext c) {
      Options options = c.options();
      String latents = options.getString("latents", "10");
      int[] hidden = c.hiddenWidths(NAME, 200, 2);
      Activation activation = Activation.named(options.getString("activation", "tanh"));
      String combination = options.getString("combination", "residual");
      options.requireAllUsed("prior " + NAME);
      int[] dimensions = new int[] {c.latent()};
      for (String part : latents.split("x", -1)) {
        try {
          dimensions = Arrays.copyOf(dimensions, dimensions.length + 1);
          dimensions[dimensions.length - 1] = Integer.parseInt(part.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("prior " + NAME + ": latents=" + latents + " is not a list of"
              + " dimensions joined by x, e.g. latents=32x16", e);
        }
      }
      return new LadderPrior(c.engine(), dimensions, hidden, activation, combination(combination), c.rng(),
          c.dtype());
    }

    private static Combination combination(String name) {
      return Arrays.stream(Combination.values()).filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("prior " + NAME + ": combination=" + name + " is not one of"
              + " precision, residual"));
    }
  }
}
