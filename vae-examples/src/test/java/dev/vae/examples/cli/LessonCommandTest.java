package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.VaeRun;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vae lesson ring` trains on the ring, prints its numbers and writes its picture; a lesson must be named. */
class LessonCommandTest {
  @TempDir
  Path dir;

  /** A tiny MNIST-shaped data set in the test's directory, written once. */
  private Path tinyMnist() throws java.io.IOException {
    Path data = dir.resolve("mnist");
    return java.nio.file.Files.isDirectory(data) ? data
        : dev.vae.examples.testkit.SyntheticMnist.write(data, 128, 32);
  }

  /** A run of one epoch of a tiny VAE with {@code latent} latent dimensions on {@link #tinyMnist}. */
  private Path trainedRun(String name, String latent) throws java.io.IOException {
    Path run = dir.resolve(name);
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", tinyMnist().toString(), "--epochs",
        "1", "--hidden", "8", "--latent", latent, "--batch-size", "32", "--no-pictures");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    return run;
  }

  @Test
  void theRingLessonWritesItsPictureAndALikelihoodBetterThanOneGaussian() {
    VaeRun ring = VaeRun.of("lesson", "ring", "--run", dir.toString(), "--epochs", "8", "--examples", "2000");
    assertThat(ring.exitCode()).as(ring.err()).isZero();
    assertThat(dir.resolve("ring.png")).isNotEmptyFile();
    Matcher nll = Pattern.compile("test -log p\\(x\\) (\\d+\\.\\d+) nats").matcher(ring.out());
    assertThat(nll.find()).as(ring.out()).isTrue();
    // One Gaussian fitted to the ring scores log(2πe·0.635) ≈ 2.38 nats: the VAE must do better.
    assertThat(Double.parseDouble(nll.group(1))).isLessThan(2.3);
  }

  @Test
  void theEncoderLessonTabulatesBothEstimatesAsKGrows() throws Exception {
    Path data = tinyMnist();
    Path run = trainedRun("run", "2");
    VaeRun lesson = VaeRun.of("lesson", "encoder", "--run", run.toString(), "--data-dir", data.toString(),
        "--images", "4", "--repeats", "2");
    assertThat(lesson.exitCode()).as(lesson.err()).isZero();
    Matcher row = Pattern.compile("\\| (\\d+) \\| (-?\\d+\\.\\d+) \\((\\d+\\.\\d+)\\) \\| "
        + "(-?\\d+\\.\\d+) \\((\\d+\\.\\d+)\\) \\|").matcher(lesson.out());
    java.util.List<double[]> rows = new java.util.ArrayList<>();
    while (row.find()) {
      rows.add(new double[] {Double.parseDouble(row.group(1)), Double.parseDouble(row.group(5))});
    }
    assertThat(rows).extracting(r -> (int) r[0]).containsExactly(1, 10, 100, 1000, 5000);
    assertThat(rows.get(4)[1]).as("importance sampling's spread shrinks as k grows").isLessThan(rows.get(0)[1]);
    assertThat(run.resolve("encoder.png")).isNotEmptyFile();
  }

  @Test
  void sphericalInterpolationKeepsTheNormThatTheStraightLineLoses() {
    double[] a = {3, 0, 0};
    double[] b = {0, 4, 0};
    double[] middle = LatentWalkLesson.slerp(a, b, 0.5);
    assertThat(LatentWalkLesson.norm(middle)).isCloseTo(3.5, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(middle[0] / 3.5).as("half way round: 45 degrees").isCloseTo(Math.sqrt(0.5),
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(LatentWalkLesson.slerp(a, b, 0)).containsExactly(3, 0, 0);
    assertThat(LatentWalkLesson.slerp(a, b, 1)[1]).isCloseTo(4, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(LatentWalkLesson.norm(new double[] {1.5, 2, 0})).as("the linear middle is shorter").isEqualTo(2.5);
  }

  @Test
  void theLatentWalksLessonDrawsItsPicture() throws Exception {
    Path data = tinyMnist();
    Path run = trainedRun("walks", "3");
    VaeRun lesson = VaeRun.of("lesson", "latent-walks", "--run", run.toString(), "--data-dir", data.toString(),
        "--pairs", "2");
    assertThat(lesson.exitCode()).as(lesson.err()).isZero();
    assertThat(lesson.out()).contains("pair 1: |z|", "pair 2: |z|");
    assertThat(run.resolve("latent-walks.png")).isNotEmptyFile();
  }

  @Test
  void theBetaLessonTrainsFiveModelsAndComparesThem() throws Exception {
    Path data = tinyMnist();
    Path run = dir.resolve("beta");
    VaeRun lesson = VaeRun.of("lesson", "beta", "--run", run.toString(), "--data-dir", data.toString(), "--epochs",
        "1", "--model", "--hidden=8 --latent=2 --batch-size=32");
    assertThat(lesson.exitCode()).as(lesson.err()).isZero();
    assertThat(run.resolve("beta.png")).isNotEmptyFile();
    for (String beta : new String[] {"0", "0.1", "1", "4", "16"}) {
      assertThat(lesson.out()).containsPattern("\\| " + java.util.regex.Pattern.quote(beta) + " \\| \\d+\\.\\d+ \\|");
    }
    VaeRun again = VaeRun.of("lesson", "beta", "--run", run.toString(), "--data-dir", data.toString(), "--epochs",
        "1", "--model", "--hidden=8 --latent=2 --batch-size=32");
    assertThat(again.exitCode()).as("run again, the lesson goes on from its runs: " + again.err()).isZero();
  }

  @Test
  void theDecoderVarianceLessonShowsSigmaAsAWeightOnTheKl() throws Exception {
    Path data = tinyMnist();
    Path run = dir.resolve("variance");
    VaeRun lesson = VaeRun.of("lesson", "decoder-variance", "--run", run.toString(), "--data-dir", data.toString(),
        "--epochs", "1", "--examples", "16", "--model", "--hidden=8 --latent=2 --batch-size=32");
    assertThat(lesson.exitCode()).as(lesson.err()).isZero();
    assertThat(run.resolve("decoder-variance.png")).isNotEmptyFile();
    assertThat(sigmaOf(lesson.out(), "sigma fixed 1")).isEqualTo(1.0);
    assertThat(sigmaOf(lesson.out(), "sigma fixed 0.05")).isEqualTo(0.05);
    assertThat(sigmaOf(lesson.out(), "sigma from the decoder")).as("never below its floor").isGreaterThan(0.01);
    Matcher difference = Pattern.compile("MEAN reconstructions (\\d+\\.\\d+)").matcher(lesson.out());
    assertThat(difference.find()).as(lesson.out()).isTrue();
    // sigma 0.05 and sigma 1/sqrt(2) with beta 0.005 are one loss up to a factor and a constant: Adam, blind to the
    // factor, takes both models down the same path, so their reconstructions agree far below a pixel's range.
    assertThat(Double.parseDouble(difference.group(1))).isLessThan(0.01);
  }

  /** The last column (mean sigma) of the row for {@code model} in the lesson's own table (after vae compare's). */
  private static double sigmaOf(String out, String model) {
    Matcher row = Pattern.compile("\\| " + Pattern.quote(model) + " \\|.*\\| (\\d+\\.\\d+) \\|")
        .matcher(out.substring(out.indexOf("| model |")));
    assertThat(row.find()).as(out).isTrue();
    return Double.parseDouble(row.group(1));
  }

  @Test
  void theHolesLessonIntegratesTheAggregatePosteriorOnAGrid() throws Exception {
    Path data = tinyMnist();
    Path run = trainedRun("holes", "2");
    VaeRun lesson = VaeRun.of("lesson", "holes", "--run", run.toString(), "--data-dir", data.toString(), "--images",
        "32");
    assertThat(lesson.exitCode()).as(lesson.err()).isZero();
    Matcher mass = Pattern.compile("it holds (\\d+\\.\\d+) of q's mass").matcher(lesson.out());
    assertThat(mass.find()).as(lesson.out()).isTrue();
    assertThat(Double.parseDouble(mass.group(1))).as("q(z) is a density: the window holds nearly all of it")
        .isBetween(0.98, 1.0001);
    assertThat(lesson.out()).containsPattern("KL\\(q\\(z\\) \\|\\| p\\(z\\)\\) \\d+\\.\\d+ nats on the grid")
        .containsPattern("of the prior's mass lies where q\\(z\\) < p\\(z\\)/10");
    assertThat(run.resolve("holes.png")).isNotEmptyFile();
  }

  @Test
  void theTruePosteriorLessonsGridAgreesWithImportanceSampling() throws Exception {
    Path data = tinyMnist();
    Path run = trainedRun("posterior", "2");
    VaeRun lesson = VaeRun.of("lesson", "true-posterior", "--run", run.toString(), "--data-dir", data.toString(),
        "--images", "2", "-k", "500");
    assertThat(lesson.exitCode()).as(lesson.err()).isZero();
    Matcher row = Pattern.compile("\\| \\d+ \\| \\d+ \\| (-?\\d+\\.\\d+) \\| (-?\\d+\\.\\d+) \\| (-?\\d+\\.\\d+) \\| "
        + "(-?\\d+\\.\\d+) \\|").matcher(lesson.out());
    int rows = 0;
    while (row.find()) {
      rows++;
      double grid = Double.parseDouble(row.group(1));
      double sampled = Double.parseDouble(row.group(2));
      double elbo = Double.parseDouble(row.group(3));
      assertThat(sampled).as("the importance-sampled log p(x) and the grid's integral").isCloseTo(grid,
          org.assertj.core.data.Offset.offset(0.05 * Math.abs(grid) + 0.5));
      assertThat(elbo).as("the ELBO bounds log p(x) from below").isLessThanOrEqualTo(grid + 1e-9);
    }
    assertThat(rows).as(lesson.out()).isEqualTo(2);
    assertThat(run.resolve("true-posterior.png")).isNotEmptyFile();
  }

  @Test
  void theGridLessonsNeedATwoDimensionalLatentSpace() throws Exception {
    Path data = tinyMnist();
    Path run = trainedRun("d3", "3");
    VaeRun lesson = VaeRun.of("lesson", "holes", "--run", run.toString(), "--data-dir", data.toString());
    assertThat(lesson.exitCode()).isNotZero();
    assertThat(lesson.err()).contains("needs a run with 2 latent dimensions").contains("has 3")
        .contains("--latent 2");
  }

  @Test
  void aLessonMustBeNamed() {
    VaeRun none = VaeRun.of("lesson");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("name a lesson: ").contains("ring").contains("encoder").contains("latent-walks").contains("beta")
        .contains("decoder-variance").contains("holes").contains("true-posterior");
  }
}
