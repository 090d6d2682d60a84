package dev.vae.core.posterior;

import com.google.auto.service.AutoService;
import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Initializer;
import dev.vae.core.nn.MaskedDense;
import dev.vae.core.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Inverse autoregressive flow (Kingma et al. 2016), amortised: K steps, each a MADE (masked dense
 * layers, Germain et al. 2015) reading z and the example's context h from the encoder, giving m and
 * s with m_i and s_i functions of z_1 … z_{i−1} (in the step's order) and h only. h reaches the
 * first hidden layer and, by a projection of its own, the outputs, so that the first dimension in
 * the order depends on the example too. The step maps z to σ ⊙ z + (1 − σ) ⊙ m with
 * σ = sigmoid(s + 1), so its Jacobian is triangular and log|det| = Σ log σ_i. The order reverses
 * from one step to the next. The MADE's hidden layers use ELU; s is offset by 1 so that each step
 * starts by keeping most of z (σ near 0.73 rather than 0.5).
 */
public final class InverseAutoregressiveFlow implements Flow {
  /** The provider's name. */
  public static final String NAME = "iaf";
  /** Added to s before the sigmoid: σ starts near sigmoid(1). */
  private static final double GATE_OFFSET = 1.0;
  private final int dimension;
  private final int contextSize;
  private final List<Step> steps = new ArrayList<>();

  /**
   * One step's MADE: masked layers from z, and the context's projections into the first hidden
   * layer and into the outputs (null without a context).
   */
  private record Step(List<MaskedDense> layers, Parameter context, Parameter outputContext) {}

  /**
   * @param steps K, at least 1
   * @param dimension the latent dimension d
   * @param contextSize the numbers c per example read from the encoder (0: none)
   * @param hidden the MADE's hidden width
   * @param depth the MADE's hidden layers, at least 1
   */
  public InverseAutoregressiveFlow(Engine engine, int steps, int dimension, int contextSize, int hidden, int depth,
      Rng rng, DType dtype) {
    if (steps < 1 || dimension < 1 || contextSize < 0 || hidden < 1 || depth < 1) {
      throw new IllegalArgumentException("posterior iaf: steps, latent dimension, hidden and depth must be at least"
          + " 1 and context at least 0, got steps=" + steps + ", dimension " + dimension + ", hidden=" + hidden
          + ", depth=" + depth + ", context=" + contextSize);
    }
    this.dimension = dimension;
    this.contextSize = contextSize;
    for (int k = 0; k < steps; k++) {
      int[] order = order(dimension, k % 2 == 1);
      int[] hiddenDegrees = hiddenDegrees(hidden, dimension);
      int[] outputDegrees = new int[2 * dimension];
      for (int o = 0; o < outputDegrees.length; o++) {
        outputDegrees[o] = order[o % dimension];
      }
      String name = "iaf." + k;
      List<MaskedDense> layers = new ArrayList<>();
      layers.add(new MaskedDense(name + ".0", engine, dimension, hidden, mask(order, hiddenDegrees, 0),
          Initializer.LECUN_UNIFORM, rng, dtype));
      for (int l = 1; l < depth; l++) {
        layers.add(new MaskedDense(name + "." + l, engine, hidden, hidden, mask(hiddenDegrees, hiddenDegrees, 0),
            Initializer.LECUN_UNIFORM, rng, dtype));
      }
      layers.add(new MaskedDense(name + "." + depth, engine, hidden, 2 * dimension,
          mask(hiddenDegrees, outputDegrees, 1), Initializer.LECUN_UNIFORM, rng, dtype));
      Parameter projection = contextSize == 0 ? null : Parameter.fromHost(name + ".context", engine,
          Initializer.LECUN_UNIFORM.sample(contextSize, hidden, rng), Shape.of(contextSize, hidden), dtype);
      Parameter outputProjection = contextSize == 0 ? null : Parameter.fromHost(name + ".output-context", engine,
          Initializer.LECUN_UNIFORM.sample(contextSize, 2 * dimension, rng), Shape.of(contextSize, 2 * dimension),
          dtype);
      this.steps.add(new Step(layers, projection, outputProjection));
    }
  }

  /** Each dimension's place 1 … d in a step's order: 1, 2, … d, or d, … 1 when reversed. */
  static int[] order(int d, boolean reversed) {
    int[] degrees = new int[d];
    for (int i = 0; i < d; i++) {
      degrees[i] = reversed ? d - i : i + 1;
    }
    return degrees;
  }

  /** Hidden units' degrees, cycling through 1 … d − 1 (all 1 when d = 1): a unit sees places up to its degree. */
  private static int[] hiddenDegrees(int hidden, int d) {
    int[] degrees = new int[hidden];
    for (int j = 0; j < hidden; j++) {
      degrees[j] = j % Math.max(1, d - 1) + 1;
    }
    return degrees;
  }

  /**
   * The mask [in, out] that lets output j see input i when degree(j) ≥ degree(i) + strict: strict 0
   * into hidden units, 1 into the outputs, so output i sees only the inputs before it.
   */
  private static double[] mask(int[] inDegrees, int[] outDegrees, int strict) {
    double[] mask = new double[inDegrees.length * outDegrees.length];
    for (int i = 0; i < inDegrees.length; i++) {
      for (int j = 0; j < outDegrees.length; j++) {
        mask[i * outDegrees.length + j] = outDegrees[j] >= inDegrees[i] + strict ? 1 : 0;
      }
    }
    return mask;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int steps() {
    return steps.size();
  }

  @Override
  public int contextSize() {
    return contextSize;
  }

  /** Step k: m and s from its MADE, then z ↦ m + σ ⊙ (z − m) with log|det| = Σ log σ. */
  @Override
  public Transformed step(int k, Tensor z, Tensor context) {
    Step step = steps.get(k);
    List<MaskedDense> layers = step.layers();
    Tensor h = layers.get(0).forward(z);
    if (step.context() != null) {
      h = h.add(context.matmul(step.context().tensor()));
    }
    h = Activation.ELU.apply(h);
    for (int l = 1; l < layers.size() - 1; l++) {
      h = Activation.ELU.apply(layers.get(l).forward(h));
    }
    Tensor out = layers.get(layers.size() - 1).forward(h);
    if (step.outputContext() != null) {
      out = out.add(context.matmul(step.outputContext().tensor()));
    }
    Tensor m = out.slice(1, 0, dimension);
    Tensor gate = out.slice(1, dimension, 2 * dimension).add(GATE_OFFSET);
    Tensor next = z.sub(m).mul(gate.sigmoid()).add(m);
    return new Transformed(next, gate.logSigmoid().sum(false, 1));
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    for (Step step : steps) {
      step.layers().forEach(layer -> all.addAll(layer.parameters()));
      if (step.context() != null) {
        all.add(step.context());
        all.add(step.outputContext());
      }
    }
    return all;
  }

  /**
   * Registers IAF as "iaf"; options {@code steps} (2), {@code hidden} (320, the MADE's width),
   * {@code depth} (2 hidden layers) and {@code context} (40 numbers per example from the encoder).
   */
  @AutoService(PosteriorProvider.class)
  public static final class Provider implements PosteriorProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "a diagonal Gaussian through K inverse autoregressive flow steps (MADE), conditioned on a context from"
          + " the encoder (steps=2, hidden=320, depth=2, context=40)";
    }

    @Override
    public PosteriorFamily build(PosteriorContext context) {
      Options options = context.options();
      int steps = options.getInt("steps", 2);
      int hidden = options.getInt("hidden", 320);
      int depth = options.getInt("depth", 2);
      int contextSize = options.getInt("context", 40);
      options.requireAllUsed("posterior " + NAME);
      return new FlowPosterior.Family(new InverseAutoregressiveFlow(context.engine(), steps, context.latent(),
          contextSize, hidden, depth, context.rng(), context.dtype()), context.latent());
    }
  }
}
