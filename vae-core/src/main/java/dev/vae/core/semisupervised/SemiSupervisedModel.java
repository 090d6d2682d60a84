package dev.vae.core.semisupervised;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.ParameterSpec;
import dev.vae.api.model.SamplingMode;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.StandardNormalPrior;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Dense;
import dev.vae.core.nn.Initializer;
import dev.vae.core.nn.Mlp;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The semi-supervised generative model M2 of Kingma, Rezende, Mohamed and Welling (2014): a label
 * y in K classes and a latent z explain x.
 *
 * <ul>
 *   <li>p(y) uniform, p(z) = N(0, I), p(x | y, z) a likelihood plugin whose parameters an MLP
 *       computes from [z, onehot(y)];
 *   <li>q(y | x): an MLP classifier with a softmax over the classes;
 *   <li>q(z | x, y) = N(μ, diag σ²): an MLP on [x, onehot(y)]. Its first layer is written
 *       x·W<sub>x</sub> + onehot(y)·W<sub>y</sub> + b, the same affine map as one on the
 *       concatenation, so that summing over all classes for unlabelled x computes x·W<sub>x</sub>
 *       once instead of K times.
 * </ul>
 *
 * <p>With L(x, y) = E_q[log p(x | y, z)] + log p(y) − KL(q(z | x, y) ‖ p(z)), one reparameterised
 * z per example, the objectives are: labelled, −L(x, y) + α·(−log q(y | x)); unlabelled, U(x) =
 * Σ_y q(y | x)·(−L(x, y)) − H(q(y | x)), summing over every class in one pass over K copies of the
 * batch. Both are minimised; −U(x) is a lower bound on log p(x).
 *
 * <p>A KL weight β ≠ 1 trains with L<sub>β</sub>(x, y), the bound with β·KL in place of KL, in
 * both objectives and in {@link #predictFromBounds}. For β ≥ 1 it is still a lower bound (looser
 * by (β − 1)·KL): information about x then costs more in z than in y, whose price
 * KL(q(y | x) ‖ p(y)) is at most ln K whatever β is, which pushes the class into y.
 */
public final class SemiSupervisedModel implements AutoCloseable {
  private final Engine engine;
  private final int classes;
  private final int latent;
  private final DType dtype;
  private final Likelihood likelihood;
  private final Activation activation;
  private final StandardNormalPrior prior = new StandardNormalPrior();
  private final Mlp classifier;
  private final Dense encoderInput;
  private final Parameter encoderLabel;
  private final Mlp encoderRest;
  private final Mlp decoder;
  private final Map<String, Parameter> likelihoodParameters;
  private final double klWeight;

  /**
   * A freshly initialised model with the plain bound (KL weight 1): each network has one hidden
   * layer ({@code hidden} wide, or {@code classifierHidden} for the classifier) and the given
   * activation; weights are drawn from {@code seed}.
   */
  public SemiSupervisedModel(Engine engine, Likelihood likelihood, int classes, int hidden, int classifierHidden,
      int latent, Activation activation, DType dtype, long seed) {
    this(engine, likelihood, classes, hidden, classifierHidden, latent, activation, dtype, seed, 1.0);
  }

  /** The same with z's KL weighted by {@code klWeight} (β, finite and ≥ 0) in every bound. */
  public SemiSupervisedModel(Engine engine, Likelihood likelihood, int classes, int hidden, int classifierHidden,
      int latent, Activation activation, DType dtype, long seed, double klWeight) {
    SemiSupervisedConfig.requireWeight("the KL weight beta", klWeight);
    if (classes < 2) {
      throw new IllegalArgumentException("a semi-supervised model needs at least 2 classes, got " + classes);
    }
    if (hidden <= 0 || classifierHidden <= 0 || latent <= 0) {
      throw new IllegalArgumentException("hidden width, classifier hidden width and latent dimension must be "
          + "positive, got " + hidden + ", " + classifierHidden + " and " + latent);
    }
    this.engine = engine;
    this.likelihood = likelihood;
    this.klWeight = klWeight;
    this.classes = classes;
    this.latent = latent;
    this.dtype = dtype;
    this.activation = activation;
    int m = likelihood.dimension();
    Rng rng = new Rng(seed);
    Initializer init = Initializer.LECUN_UNIFORM;
    this.classifier = Mlp.builder(engine).name("classifier").sizes(m, classifierHidden, classes)
        .activation(activation).initializer(init).rng(rng).dtype(dtype).build();
    this.encoderInput = new Dense("encoder.0", engine, m, hidden, init, rng, dtype);
    this.encoderLabel = Parameter.fromHost("encoder.0.label", engine, uniform(engine, classes, hidden,
        1 / Math.sqrt(m + classes), rng), Shape.of(classes, hidden), dtype);
    this.encoderRest = Mlp.builder(engine).name("encoder.rest").sizes(hidden, 2 * latent).activation(activation)
        .initializer(init).rng(rng).dtype(dtype).build();
    this.decoder = Mlp.builder(engine).name("decoder").sizes(latent + classes, hidden,
        m * likelihood.outputsPerDimension()).activation(activation).initializer(init).rng(rng).dtype(dtype).build();
    Map<String, Parameter> own = new LinkedHashMap<>();
    for (ParameterSpec spec : likelihood.ownParameters()) {
      double[] values = new double[spec.shape().sizeAsInt()];
      Arrays.fill(values, spec.initialValue());
      own.put(spec.name(), Parameter.fromHost(spec.name(), engine, values, spec.shape(), dtype));
    }
    this.likelihoodParameters = Collections.unmodifiableMap(own);
  }

  /** U(−bound, bound) draws, PyTorch's default for a dense layer on the concatenation [x, onehot(y)]. */
  private static double[] uniform(Engine engine, int rows, int columns, double bound, Rng rng) {
    try (MemoryScope scope = engine.scope()) {
      return engine.uniform(rng, Shape.of(rows, columns), DType.FLOAT64).mul(2 * bound).sub(bound).toDoubles();
    }
  }

  public Engine engine() {
    return engine;
  }

  public Likelihood likelihood() {
    return likelihood;
  }

  /** The number K of classes. */
  public int classes() {
    return classes;
  }

  /** The dimension m of x. */
  public int dataDimension() {
    return likelihood.dimension();
  }

  /** The dimension d of z. */
  public int latentDimension() {
    return latent;
  }

  public DType dtype() {
    return dtype;
  }

  /** Every trainable parameter: classifier, encoder, decoder, then the likelihood's own. Stable order. */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>(classifier.parameters());
    all.addAll(encoderInput.parameters());
    all.add(encoderLabel);
    all.addAll(encoderRest.parameters());
    all.addAll(decoder.parameters());
    all.addAll(likelihoodParameters.values());
    return Collections.unmodifiableList(all);
  }

  /** log q(y | x) for every class: [n, K], each row a log-softmax. */
  public Tensor classLogProbabilities(Tensor x) {
    Tensor logits = classifier.forward(x);
    return logits.sub(logits.logSumExp(true, 1));
  }

  /** The most probable class under q(y | x) of each row of x. */
  public int[] predict(Tensor x) {
    return rowArgmax(classLogProbabilities(x).toDoubles(), x.dim(0));
  }

  /**
   * The class with which the generative model explains each row of x best, argmax_y L(x, y) (one
   * reparameterised z per example and class): a classifier that ignores q(y | x). Its accuracy says
   * how far the label y carries the class in p(x | y, z); near chance, the decoder has put the class
   * into z and the unlabelled bound teaches q(y | x) little.
   */
  public int[] predictFromBounds(Tensor x, Rng rng) {
    return rowArgmax(classBounds(x, rng).toDoubles(), x.dim(0));
  }

  /** The index of each row's largest entry in a row-major [rows, K] array; ties go to the lower index. */
  private int[] rowArgmax(double[] values, int rows) {
    int[] out = new int[rows];
    for (int i = 0; i < rows; i++) {
      int best = 0;
      for (int k = 1; k < classes; k++) {
        if (values[i * classes + k] > values[i * classes + best]) {
          best = k;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** The one-hot rows of the labels [n, K], a constant of the model's dtype. */
  public Tensor oneHot(int[] labels) {
    double[] values = new double[Math.multiplyExact(labels.length, classes)];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is not a class of this model; "
            + "expected 0.." + (classes - 1));
      }
      values[i * classes + labels[i]] = 1;
    }
    return engine.fromHost(values, Shape.of(labels.length, classes), dtype);
  }

  /** q(z | x, y) from the data's part of the encoder's first layer, x·W_x + b, and one-hot labels y [n, K]. */
  private DiagonalGaussianPosterior posterior(Tensor xPart, Tensor y) {
    Tensor h = encoderRest.forward(activation.apply(xPart.add(y.matmul(encoderLabel.tensor()))));
    return new DiagonalGaussianPosterior(h.slice(1, 0, latent), h.slice(1, latent, 2 * latent));
  }

  /** The likelihood's parameters for latent codes z [n, d] and one-hot labels y [n, K]. */
  public DecoderOutput decode(Tensor z, Tensor y) {
    Map<String, Tensor> own = new LinkedHashMap<>();
    likelihoodParameters.forEach((name, p) -> own.put(name, p.tensor()));
    return new DecoderOutput(decoder.forward(engine.concat(List.of(z, y), 1)), own);
  }

  /**
   * L(x, y) per example [n]: the bound on log p(x, y) (with z's KL weighted by β), with one
   * reparameterised z per example.
   */
  public Tensor labelledBound(Tensor x, int[] labels, Rng rng) {
    return bound(encoderInput.forward(x), x, oneHot(labels), rng);
  }

  private Tensor bound(Tensor xPart, Tensor x, Tensor y, Rng rng) {
    DiagonalGaussianPosterior q = posterior(xPart, y);
    Tensor z = q.sample(1, rng).z();
    Tensor reconstruction = likelihood.logProb(decode(z, y), x);
    Tensor kl = prior.klFromDiagonalGaussian(q.mean(), q.logVariance()).orElseThrow().sum(false, 1);
    return reconstruction.sub(kl.mul(klWeight)).sub(Math.log(classes));
  }

  /**
   * The objective of one step: −L(x, y) + α·(−log q(y | x)) averaged over the labelled batch
   * {@code labelledX} with its labels, plus U(x) averaged over the unlabelled batch
   * {@code unlabelledX}. The labelled batch's z are drawn first, then the unlabelled one's.
   */
  public Terms objective(Tensor labelledX, int[] labels, Tensor unlabelledX, double alpha, Rng rng) {
    return objective(labelledX, labels, unlabelledX, alpha, 1.0, rng);
  }

  /**
   * The objective with the labelled bound weighed by {@code labelledWeight}:
   * w·(−L(x, y)) + α·(−log q(y | x)) over the labelled batch plus U(x) over the unlabelled one.
   */
  public Terms objective(Tensor labelledX, int[] labels, Tensor unlabelledX, double alpha, double labelledWeight,
      Rng rng) {
    Tensor y = oneHot(labels);
    Tensor negativeBound = bound(encoderInput.forward(labelledX), labelledX, y, rng).neg().mean();
    Tensor crossEntropy = classLogProbabilities(labelledX).mul(y).sum(false, 1).neg().mean();
    Tensor unlabelled = unlabelledLoss(unlabelledX, rng).mean();
    return new Terms(negativeBound, crossEntropy, unlabelled,
        negativeBound.mul(labelledWeight).add(crossEntropy.mul(alpha)).add(unlabelled));
  }

  /**
   * U(x) per example [n] = Σ_y q(y | x)·(−L(x, y)) − H(q(y | x)), summing over all K classes with
   * one pass over the batch repeated K times ({@link #classBounds}).
   */
  public Tensor unlabelledLoss(Tensor x, Rng rng) {
    Tensor bounds = classBounds(x, rng);
    Tensor logq = classLogProbabilities(x);
    Tensor q = logq.exp();
    return q.mul(bounds.neg().add(logq)).sum(false, 1);
  }

  /**
   * L(x, y) for every example and every class [n, K], one reparameterised z each: one pass over the
   * batch repeated K times (class-major), with x·W_x + b computed once.
   */
  public Tensor classBounds(Tensor x, Rng rng) {
    int n = x.dim(0);
    int m = x.dim(1);
    Tensor xs = x.broadcastTo(Shape.of(classes, n, m)).reshape(classes * n, m);
    Tensor xPart = encoderInput.forward(x);
    Tensor xParts = xPart.broadcastTo(Shape.of(classes, n, xPart.dim(1))).reshape(classes * n, xPart.dim(1));
    int[] labels = new int[classes * n];
    for (int k = 0; k < classes; k++) {
      Arrays.fill(labels, k * n, (k + 1) * n, k);
    }
    return bound(xParts, xs, oneHot(labels), rng).reshape(Shape.of(classes, n)).transpose();
  }

  /**
   * Class-conditional generation: for each label, z ~ p(z) and then x ~ p(x | y, z) (ANCESTRAL) or
   * E[x | y, z] (MEAN). Shape [labels, m].
   */
  public Tensor generate(int[] labels, SamplingMode mode, Rng rng) {
    Tensor z = prior.sample(labels.length, latent, engine, dtype, rng);
    DecoderOutput out = decode(z, oneHot(labels));
    return mode == SamplingMode.ANCESTRAL ? likelihood.sample(out, rng) : likelihood.mean(out);
  }

  /** One line for logs: shapes and parameter count. */
  public String describe() {
    return "M2 " + dataDimension() + " -> " + latent + " latent + " + classes + " classes, likelihood "
        + likelihood.name() + (klWeight == 1.0 ? "" : ", z's KL weighted by " + klWeight) + ", "
        + parameters().stream().mapToLong(p -> p.shape().size()).sum() + " parameters";
  }

  @Override
  public void close() {
    parameters().forEach(Parameter::close);
  }

  /**
   * The terms of one step's objective, each a scalar averaged over its batch.
   *
   * @param negativeBound mean −L(x, y) of the labelled batch
   * @param crossEntropy mean −log q(y | x) of the labelled batch
   * @param unlabelled mean U(x) of the unlabelled batch
   * @param loss negativeBound + α·crossEntropy + unlabelled, what training minimises
   */
  public record Terms(Tensor negativeBound, Tensor crossEntropy, Tensor unlabelled, Tensor loss) {}
}
