package dev.vae.variants.semisupervised;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.BatchPrefetcher;
import dev.vae.core.data.Batches;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.GradientClipping;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.train.NonFiniteValueException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Trains a {@link SemiSupervisedModel}. An epoch is one pass over the unlabelled batches; every
 * step pairs the next unlabelled batch with the next labelled one (the labelled set is small, so its
 * batches cycle, reshuffled each time round) and takes one optimizer step on
 * w·(−L(x, y)) + α·(−log q(y | x)) averaged over the labelled batch plus U(x) averaged over the
 * unlabelled batch. The order of both follows their {@link Batches}' seeds, and the noise of z (and
 * of M1's codes) a stream of (seed, epoch), so a run is reproducible. After each epoch it measures
 * the classifier's accuracy on the validation and test batches, and on the test batches how often
 * argmax_y L(x, y) finds the label (whether the generative model's y carries the class). A NaN or
 * infinite term stops training with a {@link NonFiniteValueException} naming the step and the term.
 */
public final class SemiSupervisedTrainer {
  /** The random stream of {@link #boundAccuracy}'s z draws, apart from the epochs' (1 000 003 + epoch). */
  private static final long BOUND_CLASSIFIER_STREAM = 2_000_003L;

  private final SemiSupervisedModel model;
  private final Inputs inputs;
  private final Optimizer optimizer;
  private final Config config;
  private final List<Consumer<SemiSupervisedEpoch>> listeners = new ArrayList<>();
  private int nextEpoch;
  private long step;

  /**
   * How to train: epochs (passes over the unlabelled data), the weight α of the classification
   * loss, the weight of the labelled bound, and the seed of the noise.
   */
  public record Config(int epochs, double alpha, double labelledWeight, long seed) {
    public Config {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
      }
      SemiSupervisedConfig.requireWeight("alpha", alpha);
      SemiSupervisedConfig.requireWeight("labelled-weight", labelledWeight);
    }

    /** The labelled bound at full weight. */
    public Config(int epochs, double alpha, long seed) {
      this(epochs, alpha, 1.0, seed);
    }

    /**
     * α and the labelled bound's weight as a variant's configuration gives them, for a split of
     * {@code labelled} labelled and {@code unlabelled} unlabelled examples.
     */
    public static Config from(SemiSupervisedConfig model, int epochs, int labelled, int unlabelled, long seed) {
      return new Config(epochs, model.alpha(), model.labelledWeight(labelled, unlabelled), seed);
    }
  }

  public SemiSupervisedTrainer(SemiSupervisedModel model, Inputs inputs, Optimizer optimizer, Config config) {
    if (inputs.dimension() != model.dataDimension()) {
      throw new IllegalArgumentException("the model expects inputs of dimension " + model.dataDimension()
          + " but the input map gives " + inputs.dimension());
    }
    this.model = model;
    this.inputs = inputs;
    this.optimizer = optimizer;
    this.config = config;
  }

  /**
   * Continues a run that had finished {@code epochsDone} epochs in {@code stepsDone} steps (its
   * parameters and optimizer restored by the caller): {@link #fit} then runs the epochs left, with the
   * batches and noise they would have had in one uninterrupted run.
   */
  public SemiSupervisedTrainer resumeAfter(int epochsDone, long stepsDone) {
    if (epochsDone < 0 || stepsDone < 0 || epochsDone > config.epochs()) {
      throw new IllegalArgumentException("cannot resume after epoch " + epochsDone + " (step " + stepsDone
          + ") of a run of " + config.epochs() + " epochs; expected 0.." + config.epochs() + " epochs done");
    }
    nextEpoch = epochsDone;
    step = stepsDone;
    return this;
  }

  /** Epochs finished so far. */
  public int epochsDone() {
    return nextEpoch;
  }

  /** Optimizer steps taken so far. */
  public long steps() {
    return step;
  }

  /** Called with each epoch's metrics as it ends. */
  public SemiSupervisedTrainer addListener(Consumer<SemiSupervisedEpoch> listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Trains for the configured epochs not yet done (all of them unless {@link #resumeAfter}).
   *
   * @param labelled batches of the labelled examples (they must carry labels)
   * @param unlabelled batches of the unlabelled examples (labels, if any, are not read)
   * @param validation labelled batches to measure accuracy on after each epoch, or null
   * @param test labelled batches to measure accuracy on after each epoch, or null
   */
  public List<SemiSupervisedEpoch> fit(Batches labelled, Batches unlabelled, Batches validation, Batches test) {
    requireLabels("labelled", labelled);
    if (labelled.data().features() != unlabelled.data().features()) {
      throw new IllegalArgumentException("labelled data have " + labelled.data().features()
          + " features but unlabelled data " + unlabelled.data().features());
    }
    List<SemiSupervisedEpoch> history = new ArrayList<>();
    while (nextEpoch < config.epochs()) {
      SemiSupervisedEpoch metrics = runEpoch(labelled, unlabelled, validation, test, nextEpoch);
      nextEpoch++;
      history.add(metrics);
      listeners.forEach(l -> l.accept(metrics));
    }
    return history;
  }

  private SemiSupervisedEpoch runEpoch(Batches labelled, Batches unlabelled, Batches validation, Batches test,
      int epoch) {
    long started = System.nanoTime();
    Engine engine = model.engine();
    int m = unlabelled.data().features();
    int steps = unlabelled.batchesPerEpoch();
    int cycle = labelled.batchesPerEpoch();
    float[] labelledValues = new float[labelled.batchSize() * m];
    int[] labels = new int[labelled.batchSize()];
    float[] unlabelledValues = new float[unlabelled.batchSize() * m];
    Rng noise = new Rng(config.seed()).fork(1_000_003L + epoch);
    List<Parameter> params = model.parameters();
    double[] sums = new double[4];
    long correct = 0;
    long seen = 0;
    try (BatchPrefetcher prefetched = new BatchPrefetcher(unlabelled, epoch, false)) {
      for (int b = 0; b < steps; b++) {
        long visit = (long) epoch * steps + b;
        int labelledRows = labelled.fill((int) (visit / cycle), (int) (visit % cycle), labelledValues, labels);
        int unlabelledRows = prefetched.fill(b, unlabelledValues, null);
        int[] batchLabels = Arrays.copyOf(labels, labelledRows);
        try (MemoryScope scope = engine.scope()) {
          Tensor xl = inputs.training(tensor(labelledValues, labelledRows, m), noise);
          Tensor xu = inputs.training(tensor(unlabelledValues, unlabelledRows, m), noise);
          SemiSupervisedModel.Terms terms = model.objective(xl, batchLabels, xu, config.alpha(), config.labelledWeight(),
              noise);
          double negBound = finite(terms.negativeBound().item(), "labelled bound -L(x,y)", epoch);
          double crossEntropy = finite(terms.crossEntropy().item(), "classification loss -log q(y|x)", epoch);
          double u = finite(terms.unlabelled().item(), "unlabelled bound U(x)", epoch);
          List<Tensor> grads = engine.gradients(terms.loss(), params.stream().map(Parameter::tensor).toList());
          finite(GradientClipping.globalNorm(grads), "gradient of the loss", epoch);
          optimizer.step(params, grads);
          step++;
          sums[0] -= negBound;
          sums[1] += crossEntropy;
          sums[2] -= u;
          sums[3] += terms.loss().item();
          try (Engine.NoGrad noGrad = engine.noGrad()) {
            int[] predicted = model.predict(inputs.evaluation(tensor(labelledValues, labelledRows, m)));
            for (int i = 0; i < labelledRows; i++) {
              correct += predicted[i] == batchLabels[i] ? 1 : 0;
            }
            seen += labelledRows;
          }
        }
      }
    }
    double validationAccuracy = validation == null ? Double.NaN : accuracy(validation);
    double[] testAccuracies = test == null ? new double[] {Double.NaN, Double.NaN}
        : fractionsRight(test, List.of(model::predict, boundClassifier()));
    return new SemiSupervisedEpoch(epoch, step, sums[0] / steps, sums[1] / steps, sums[2] / steps, sums[3] / steps,
        (double) correct / seen, validationAccuracy, testAccuracies[0], testAccuracies[1],
        (System.nanoTime() - started) / 1e9);
  }

  /** The fraction of examples in {@code data} (which must carry labels) that q(y | x) classifies right. */
  public double accuracy(Batches data) {
    return fractionsRight(data, List.of(model::predict))[0];
  }

  /**
   * The fraction of examples in {@code data} (which must carry labels) whose label is the class the
   * generative model explains them best with, argmax_y L(x, y)
   * ({@link SemiSupervisedModel#predictFromBounds}); the z draws repeat from call to call.
   */
  public double boundAccuracy(Batches data) {
    return fractionsRight(data, List.of(boundClassifier()))[0];
  }

  /** argmax_y L(x, y) with z drawn from a stream that starts afresh for each evaluation. */
  private Function<Tensor, int[]> boundClassifier() {
    Rng rng = new Rng(config.seed()).fork(BOUND_CLASSIFIER_STREAM);
    return x -> model.predictFromBounds(x, rng);
  }

  /**
   * For each classifier, the fraction of examples in {@code data} (which must carry labels) it
   * classifies right; one pass over the data, whose inputs (M1's codes in M1+M2) are computed once.
   */
  private double[] fractionsRight(Batches data, List<Function<Tensor, int[]>> classifiers) {
    requireLabels("evaluation", data);
    Engine engine = model.engine();
    int m = data.data().features();
    float[] values = new float[data.batchSize() * m];
    int[] labels = new int[data.batchSize()];
    long[] correct = new long[classifiers.size()];
    try (Engine.NoGrad noGrad = engine.noGrad()) {
      for (int b = 0; b < data.batchesPerEpoch(); b++) {
        int rows = data.fill(0, b, values, labels);
        try (MemoryScope scope = engine.scope()) {
          Tensor x = inputs.evaluation(tensor(values, rows, m));
          for (int c = 0; c < classifiers.size(); c++) {
            int[] predicted = classifiers.get(c).apply(x);
            for (int i = 0; i < rows; i++) {
              correct[c] += predicted[i] == labels[i] ? 1 : 0;
            }
          }
        }
      }
    }
    return Arrays.stream(correct).mapToDouble(k -> (double) k / data.data().size()).toArray();
  }

  private double finite(double value, String term, int epoch) {
    if (!Double.isFinite(value)) {
      String origin = model.parameters().stream()
          .filter(p -> Arrays.stream(p.toDoubles()).anyMatch(v -> !Double.isFinite(v)))
          .map(p -> "parameter " + p.name()).findFirst().orElse("");
      throw new NonFiniteValueException(step, epoch, term + " = " + value, origin);
    }
    return value;
  }

  private static void requireLabels(String what, Batches batches) {
    if (!batches.data().hasLabels()) {
      throw new IllegalArgumentException("the " + what + " data '" + batches.data().name() + "' have no labels; "
          + "expected a labelled data set (e.g. the labelled part of DataSet.balancedLabelledSubset)");
    }
  }

  private Tensor tensor(float[] buffer, int rows, int m) {
    float[] values = rows * m == buffer.length ? buffer : Arrays.copyOf(buffer, rows * m);
    return model.engine().fromHost(values, Shape.of(rows, m)).cast(model.dtype());
  }
}
