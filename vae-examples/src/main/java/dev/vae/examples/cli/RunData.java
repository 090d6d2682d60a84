package dev.vae.examples.cli;

import dev.vae.core.data.Batches;
import dev.vae.core.data.Binarization;
import dev.vae.api.Rng;
import dev.vae.core.data.DataFiles;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.Mnist;
import dev.vae.core.data.MnistLocator;
import dev.vae.core.data.Standardization;
import dev.vae.core.train.TrainerConfig;
import java.nio.file.Path;

/**
 * A run's data as the commands use them, MNIST or the user's own ({@link DataChoice}): the training
 * set binarised as asked, and the test set binarised once with a fixed seed whenever training data
 * are binary, so every evaluation of a run sees the same test images; a baseline fitted to the
 * training set for an evaluation sees it in the same representation ({@link #evaluationTrain()}).
 * The user's own data are split by the run's seed, so every command of the run holds out the same
 * test examples, and standardised (when asked) with the training part's means and deviations;
 * {@code trainRows} and {@code testRows} say which rows of the user's file each example was (for
 * MNIST, its position in its own file).
 */
record RunData(DataSet train, DataSet test, Binarization binarization, long seed, int[] trainRows, int[] testRows) {
  /** The checkpoint configuration key that records how training data were binarised. */
  static final String BINARIZATION_KEY = "data.binarization";
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
  static Binarization binarization(dev.vae.core.io.Checkpoint c) {
    return parseBinarization(c.config().getOrDefault(BINARIZATION_KEY, "dynamic"));
  }

  /** Finds MNIST (--data-dir, $VAE_DATA, the cache) and loads both splits. */
  static RunData load(RunOptions run, Binarization binarization, long seed) {
    Path dir = MnistLocator.system().locate(run.dataDirectory());
    DataSet train = Mnist.load(dir, Mnist.Split.TRAIN);
    DataSet test = Mnist.load(dir, Mnist.Split.TEST);
    return new RunData(train, test, binarization, seed, positions(train.size()), positions(test.size()));
  }

  /** The data {@code choice} names: MNIST as {@link #load(RunOptions, Binarization, long)}, or the user's own. */
  static RunData load(RunOptions run, DataChoice choice, Binarization binarization, long seed) {
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
    DataSet train = split.train();
    DataSet test = split.validation();
    if (choice.standardize()) {
      Standardization columns = Standardization.fit(train);
      train = columns.apply(train);
      test = columns.apply(test);
    }
    return new RunData(train, test, binarization, seed, split.trainIndices(), split.validationIndices());
  }

  private static int[] positions(int n) {
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
    int[] idx = new int[n];
    java.util.Arrays.setAll(idx, i -> i);
    data.copyRows(idx, rows);
    return rows;
  }
}
