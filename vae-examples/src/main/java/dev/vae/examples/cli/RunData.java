package dev.vae.examples.cli;

import dev.vae.api.Rng;
import dev.vae.core.data.Batches;
import dev.vae.core.data.Binarization;
import dev.vae.core.data.DataFiles;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.Mnist;
import dev.vae.core.data.MnistLocator;
import dev.vae.core.data.Standardization;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.train.TrainerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A run's data as the commands use them, MNIST or the user's own ({@link DataChoice}): the training
 * set binarised as asked, and the test set binarised once with a fixed seed whenever training data
 * are binary, so every evaluation of a run sees the same test images; a baseline fitted to the
 * training set for an evaluation sees it in the same representation ({@link #evaluationTrain()}).
 * The user's own data are split by the run's seed, so every command of the run holds out the same
 * test examples, and standardised (when asked) with the training part's means and deviations;
 * {@code trainRows} and {@code testRows} say which rows of the user's file each example was (for
 * MNIST, its position in its own file); {@code standardization} is null unless the run standardised,
 * and then the run records it ({@link #record}) so that its other commands apply the same.
 */
record RunData(DataSet train, DataSet test, Binarization binarization, long seed, int[] trainRows, int[] testRows,
    Standardization standardization) {
  /** The checkpoint configuration key that records how training data were binarised. */
  static final String BINARIZATION_KEY = "data.binarization";
  /** The checkpoint configuration keys of a standardisation's means and standard deviations. */
  private static final String MEANS_KEY = "data.standardization.means";
  private static final String STDS_KEY = "data.standardization.stds";
  /** The label of the stream that splits the user's own data into training and test sets. */
  private static final long TEST_SPLIT = 17;

  /** none, static or dynamic, case-insensitively (auto is resolved by {@link DataChoice#binarization}). */
  static Binarization parseBinarization(String value) {
    for (Binarization b : Binarization.values()) {
      if (b.name().equalsIgnoreCase(value)) {
        return b;
      }
    }
    throw new IllegalArgumentException("--binarize must be none, static or dynamic, got '" + value + "'");
  }

  /** How the run in a checkpoint binarised its data (dynamic when it does not say). */
  static Binarization binarization(Checkpoint c) {
    return parseBinarization(c.config().getOrDefault(BINARIZATION_KEY, "dynamic"));
  }

  /** Finds MNIST (--data-dir, $VAE_DATA, the cache) and loads both splits. */
  static RunData load(RunOptions run, Binarization binarization, long seed) {
    Path dir = MnistLocator.system().locate(run.dataDirectory());
    DataSet train = Mnist.load(dir, Mnist.Split.TRAIN);
    DataSet test = Mnist.load(dir, Mnist.Split.TEST);
    return new RunData(train, test, binarization, seed, positions(train.size()), positions(test.size()), null);
  }

  /**
   * The data {@code choice} names: MNIST as {@link #load(RunOptions, Binarization, long)}, or the
   * user's own, standardised (when asked) as {@code recorded} says, or as fitted to the training
   * part when the run recorded none yet.
   */
  static RunData load(RunOptions run, DataChoice choice, Binarization binarization, long seed,
      Optional<Standardization> recorded) {
    if (choice.mnist()) {
      return load(run, binarization, seed);
    }
    DataSet all = DataFiles.read(choice.path(), choice.request());
    if (all.size() < 2) {
      throw new IllegalArgumentException("--data " + choice.path() + " holds " + all.size() + " example(s); a run"
          + " needs at least one to train on and one to test");
    }
    long held = Math.round(all.size() * choice.testFraction());
    if (held < 1 || held >= all.size()) {
      throw new IllegalArgumentException("--test-fraction " + choice.testFraction() + " holds out " + held + " of the "
          + all.size() + " examples of " + choice.path() + "; a run needs at least one to train on and one to test");
    }
    DataSet.Split split = all.split(choice.testFraction(), new Rng(seed).fork(TEST_SPLIT));
    if (!choice.standardize()) {
      return new RunData(split.train(), split.validation(), binarization, seed, split.trainIndices(),
          split.validationIndices(), null);
    }
    Standardization columns = recorded.orElseGet(() -> Standardization.fit(split.train()));
    if (columns.features() != all.features()) {
      throw new IllegalArgumentException("the run standardised " + columns.features() + " columns, but --data "
          + choice.path() + " now has " + all.features());
    }
    return new RunData(columns.apply(split.train()), columns.apply(split.validation()), binarization, seed,
        split.trainIndices(), split.validationIndices(), columns);
  }

  /** The standardisation a checkpoint recorded, if its run standardised. */
  static Optional<Standardization> recordedStandardization(Checkpoint c) {
    String means = c.config().get(MEANS_KEY);
    String stds = c.config().get(STDS_KEY);
    return means == null || stds == null ? Optional.empty() : Optional.of(new Standardization(numbers(means),
        numbers(stds)));
  }

  /** Adds the standardisation, if any, to a run's checkpoint configuration. */
  void record(Map<String, String> runConfig) {
    if (standardization != null) {
      runConfig.put(MEANS_KEY, joined(standardization.means()));
      runConfig.put(STDS_KEY, joined(standardization.stds()));
    }
  }

  private static String joined(double[] values) {
    return java.util.Arrays.stream(values).mapToObj(Double::toString).collect(java.util.stream.Collectors.joining(","));
  }

  private static double[] numbers(String text) {
    return java.util.Arrays.stream(text.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  /** The indices 0, 1, ..., n − 1: the first n rows of a data set. */
  static int[] positions(int n) {
    int[] rows = new int[n];
    java.util.Arrays.setAll(rows, i -> i);
    return rows;
  }

  /** Batches over {@code data}: shuffled and binarised as configured for training, fixed otherwise. */
  Batches batches(DataSet data, TrainerConfig config, boolean training) {
    Binarization mode = training || binarization == Binarization.NONE ? binarization : Binarization.STATIC;
    return Batches.of(data).batchSize(config.batchSize()).seed(config.seed()).shuffle(training)
        .binarization(mode).build();
  }

  /** The test set as evaluations see it. */
  DataSet evaluationTest() {
    return asEvaluated(test);
  }

  /**
   * The training set in the representation of {@link #evaluationTest()}, for baselines fitted on
   * it: grey when the run's data are, else binarised once with the run's seed (the images a
   * statically binarised run trains on).
   */
  DataSet evaluationTrain() {
    return asEvaluated(train);
  }

  private DataSet asEvaluated(DataSet data) {
    return binarization == Binarization.NONE ? data : Binarization.STATIC.prepare(data, seed);
  }

  /** The first n images of {@link #evaluationTest()}, row-major [n, 784]. */
  float[] firstTestImages(int n) {
    DataSet data = evaluationTest();
    float[] rows = new float[n * data.features()];
    data.copyRows(positions(n), rows);
    return rows;
  }
}
