package dev.vae.core.semisupervised;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.eval.LatentDiagnostics;
import dev.vae.core.train.EpochEvaluation;
import dev.vae.core.train.TrainingBatch;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What is measured of a semi-supervised model after each epoch: the accuracy of q(y | x) on the
 * validation set ({@value #VALIDATION_ACCURACY}, which early stopping watches) and on the test set
 * ({@value #TEST_ACCURACY}), and on the test set how often argmax_y L(x, y) finds the label
 * ({@value #TEST_BOUND_ACCURACY}: whether the generative model's y carries the class). NaN where a
 * set is missing.
 */
public final class SemiSupervisedEvaluation implements EpochEvaluation {
  /** Accuracy of q(y | x) on the validation set. */
  public static final String VALIDATION_ACCURACY = "validation_accuracy";
  /** Accuracy of q(y | x) on the test set. */
  public static final String TEST_ACCURACY = "test_accuracy";
  /** How often argmax_y L(x, y) is the label on the test set. */
  public static final String TEST_BOUND_ACCURACY = "test_bound_accuracy";
  /** The random stream of the bound classifier's z draws, apart from the training epochs' (1 000 003 + epoch). */
  private static final long BOUND_CLASSIFIER_STREAM = 2_000_003L;

  private final SemiSupervisedModel model;
  private final Inputs inputs;
  private final Batches validation;
  private final Batches test;
  private final long seed;

  /**
   * Measures {@code model} on {@code validation} and {@code test} (labelled; either may be null),
   * the bound classifier's z drawn from {@code seed}.
   */
  public SemiSupervisedEvaluation(SemiSupervisedModel model, Inputs inputs, Batches validation, Batches test,
      long seed) {
    this.model = model;
    this.inputs = inputs;
    this.validation = validation;
    this.test = test;
    this.seed = seed;
  }

  @Override
  public Optional<String> selection() {
    return validation == null ? Optional.empty() : Optional.of(VALIDATION_ACCURACY);
  }

  @Override
  public Measures measure(int epoch) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put(VALIDATION_ACCURACY, validation == null ? Double.NaN : accuracy(validation));
    double[] onTest = test == null ? new double[] {Double.NaN, Double.NaN}
        : fractionsRight(test, List.of(model::predict, boundClassifier()));
    values.put(TEST_ACCURACY, onTest[0]);
    values.put(TEST_BOUND_ACCURACY, onTest[1]);
    return new Measures(values, LatentDiagnostics.none(0));
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
    Rng rng = new Rng(seed).fork(BOUND_CLASSIFIER_STREAM);
    return x -> model.predictFromBounds(x, rng);
  }

  /**
   * For each classifier, the fraction of examples in {@code data} (which must carry labels) it
   * classifies right; one pass over the data, whose inputs (M1's codes in M1+M2) are computed once.
   */
  private double[] fractionsRight(Batches data, List<Function<Tensor, int[]>> classifiers) {
    if (!data.data().hasLabels()) {
      throw new IllegalArgumentException("the evaluation data '" + data.data().name() + "' have no labels; "
          + "expected a labelled data set");
    }
    Engine engine = model.engine();
    int m = data.data().features();
    float[] values = new float[data.batchSize() * m];
    int[] labels = new int[data.batchSize()];
    long[] correct = new long[classifiers.size()];
    try (Engine.NoGrad noGrad = engine.noGrad()) {
      for (int b = 0; b < data.batchesPerEpoch(); b++) {
        int rows = data.fill(0, b, values, labels);
        try (MemoryScope scope = engine.scope()) {
          Tensor x = inputs.evaluation(TrainingBatch.rows(engine, model.dtype(), values, rows, m));
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
}
