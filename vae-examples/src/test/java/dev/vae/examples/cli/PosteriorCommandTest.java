package dev.vae.examples.cli;

import static dev.vae.examples.testkit.VaeRun.newestCheckpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `vae train --posterior`: posterior families chosen by name, their shared weights kept in
 * checkpoints, resumed, evaluated (with the amortisation gap) and sampled; runs recorded with the
 * former {@code --flow-steps} resume as planar flows.
 */
class PosteriorCommandTest {
  @TempDir
  static Path dir;

  private static Path data;

  @BeforeAll
  static void writeTinyMnist() throws IOException {
    data = SyntheticMnist.write(dir.resolve("mnist"), 160, 32);
  }

  @Test
  void theInstalledPosteriorsAreListed() {
    VaeRun listed = VaeRun.of("posteriors");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out()).contains("diagonal-gaussian", "full-covariance", "planar", "iaf");
  }

  @Test
  void anIafPosteriorTrainsResumesEvaluatesAndSamples() throws IOException {
    Path run = dir.resolve("iaf");
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--hidden", "8",
        "--batch-size", "32", "--epochs", "1", "--posterior", "iaf", "--posterior-options", "hidden=12,context=5",
        "--no-pictures");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("posterior diagonal Gaussian with 2 iaf flow steps");
    double[] first = newestCheckpoint(run).parameters().get("iaf.1.context").toDoubles();
    assertThat(first).hasSize(5 * 12);
    assertThat(newestCheckpoint(run).parameters().get("encoder.1.weight").toDoubles())
        .as("the encoder gives 2d + 5 numbers").hasSize(8 * (2 * 20 + 5));

    VaeRun resumed = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", "2",
        "--resume", "--no-pictures");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    Path straight = dir.resolve("iaf-straight");
    VaeRun twoEpochs = VaeRun.of("train", "--run", straight.toString(), "--data-dir", data.toString(), "--hidden",
        "8", "--batch-size", "32", "--epochs", "2", "--posterior", "iaf", "--posterior-options",
        "hidden=12,context=5", "--no-pictures");
    assertThat(twoEpochs.exitCode()).as(twoEpochs.err()).isZero();
    assertThat(newestCheckpoint(run).parameters().get("iaf.1.context").toDoubles()).as("resumed as if never stopped")
        .isNotEqualTo(first).containsExactly(newestCheckpoint(straight).parameters().get("iaf.1.context").toDoubles());
    VaeRun changed = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", "3",
        "--resume", "--posterior", "planar");
    assertThat(changed.exitCode()).isNotZero();
    assertThat(changed.err()).contains("--posterior was 'iaf' when the run began but is 'planar' now");

    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "5",
        "--amortisation-gap", "8", "--gap-steps", "5");
    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    assertThat(evaluated.out()).contains("iaf flow steps").contains("-log p(x)")
        .contains("amortisation gap on 8 test examples");
    VaeRun sampled = VaeRun.of("sample", "--run", run.toString(), "--data-dir", data.toString());
    assertThat(sampled.exitCode()).as(sampled.err()).isZero();
    assertThat(run.resolve("samples.png")).exists();
  }

  @Test
  void aFullCovariancePosteriorTrainsWithPicturesAndEvaluates() throws IOException {
    Path run = dir.resolve("full");
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--hidden", "8",
        "--batch-size", "32", "--epochs", "1", "--latent", "4", "--posterior", "full-covariance");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(newestCheckpoint(run).parameters().get("encoder.1.weight").toDoubles())
        .as("4 + 4 + 6 numbers per example").hasSize(8 * 14);
    assertThat(run.resolve("diagnostics.png")).exists();
    assertThat(run.resolve("kl-per-dimension.png")).as("a full covariance's KL does not split").doesNotExist();
    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "5");
    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    assertThat(evaluated.out()).contains("posterior full-covariance Gaussian");
  }

  @Test
  void anOptionFileWithFlowStepsTrainsPlanarFlows() throws IOException {
    Path file = dir.resolve("old-config.yaml");
    java.nio.file.Files.writeString(file, "command: train\nepochs: 1\nhidden: 8\nflow-steps: 3\n");
    VaeRun trained = VaeRun.of("train", "--config", file.toString(), "--run", dir.resolve("planar").toString(),
        "--data-dir", data.toString(), "--batch-size", "32", "--no-pictures");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("posterior diagonal Gaussian with 3 planar flow steps");
  }

  @Test
  void aRunRecordedWithFlowStepsResumesWithPlanarFlows() {
    CommandLine.Model.CommandSpec spec = new CommandLine(new TrainCommand()).getCommandSpec();
    assertThat(RecordedCommandOptions.withDefaults(Map.of("epochs", "3", "flow-steps", "8"), spec))
        .containsEntry("posterior", "planar").containsEntry("posterior-options", "steps=8")
        .doesNotContainKey("flow-steps");
    assertThat(RecordedCommandOptions.withDefaults(Map.of("epochs", "3", "flow-steps", "0"), spec))
        .containsEntry("posterior", "diagonal-gaussian").containsEntry("posterior-options", "");
  }
}
