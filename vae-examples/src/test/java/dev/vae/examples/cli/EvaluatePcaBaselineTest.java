package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.vae.core.data.Binarization;
import dev.vae.core.data.DataSet;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.eval.Pca;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vae evaluate}'s PCA baseline is fitted on the training images in the representation the
 * test images are scored in: binarised for a run whose data are binary, grey for one whose are not.
 */
class EvaluatePcaBaselineTest {
  private static final int TRAIN = 128;
  private static final int TEST = 32;

  @TempDir
  Path dir;

  @Test
  void theTrainingSetOfABinarisedRunIsBinarisedForBaselinesAndAGreyRunsStaysGrey() throws Exception {
    RunOptions options = dataOptions(SyntheticMnist.write(dir.resolve("data"), TRAIN, TEST));
    RunData binary = RunData.load(options, Binarization.DYNAMIC, 1);
    assertThat(binary.evaluationTrain().toArray()).as("0/1 values only").containsOnly(0f, 1f);
    assertThat(binary.evaluationTrain().toArray())
        .as("one static binarisation with the run's seed, the draw the test images get too")
        .containsExactly(Binarization.STATIC.prepare(binary.train(), 1).toArray());
    RunData grey = RunData.load(options, Binarization.NONE, 1);
    assertThat(grey.evaluationTrain().toArray()).containsExactly(grey.train().toArray());
  }

  @Test
  void theBaselineOfABinarisedRunIsAPcaFittedOnBinarisedImages() throws Exception {
    Path data = SyntheticMnist.write(dir.resolve("data"), TRAIN, TEST);
    Path run = dir.resolve("run");
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", "1",
        "--hidden", "8", "--latent", "2", "--batch-size", "32", "--no-pictures");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "0",
        "--subset", "0");
    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    Matcher pca = Pattern.compile("PCA \\(2 components\\) (\\d+\\.\\d+)").matcher(evaluated.out());
    assertThat(pca.find()).as(evaluated.out()).isTrue();

    RunData mnist = RunData.load(dataOptions(data), Binarization.DYNAMIC, 1);
    double binaryFit = pcaError(mnist.evaluationTrain(), mnist);
    double greyFit = pcaError(mnist.train(), mnist);
    assertThat(Math.abs(greyFit - binaryFit)).as("the two fits score apart, so the check below can tell them apart")
        .isGreaterThan(0.1);
    assertThat(Double.parseDouble(pca.group(1))).isCloseTo(binaryFit, offset(1e-3));
  }

  /** The squared error on the evaluated test images of a 2-component PCA fitted on {@code train}. */
  private static double pcaError(DataSet train, RunData mnist) {
    Pca pca = Pca.fit(train.toArray(), train.size(), train.features(), 2);
    return Evaluation.pcaSquaredError(pca, mnist.firstTestImages(TEST), TEST, train.features());
  }

  private static RunOptions dataOptions(Path data) {
    RunOptions options = new RunOptions();
    options.dataDir = data;
    return options;
  }
}
