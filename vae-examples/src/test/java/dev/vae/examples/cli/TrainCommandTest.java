package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vae train` checks its options before it creates or reads the run directory. */
class TrainCommandTest {
  @TempDir
  Path dir;

  /** Trains one epoch of a tiny model on a tiny MNIST-shaped data set in {@code run}, plus {@code more} options. */
  private VaeRun train(Path run, String... more) throws IOException {
    Path data = dir.resolve("mnist");
    if (!Files.isDirectory(data)) {
      SyntheticMnist.write(data, 128, 32);
    }
    List<String> args = new ArrayList<>(List.of("train", "--run", run.toString(), "--data-dir", data.toString(),
        "--epochs", "1", "--hidden", "16", "--latent", "2", "--batch-size", "64", "--no-pictures"));
    args.addAll(List.of(more));
    return VaeRun.of(args.toArray(String[]::new));
  }

  @Test
  void aBadOptionCreatesNoRunDirectory() throws IOException {
    Path run = dir.resolve("never");
    VaeRun bad = train(run, "--binarize", "threshold");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("--binarize must be auto, none, static or dynamic, got 'threshold'");
    assertThat(run).doesNotExist();
  }

  @Test
  void aBadOptionIsReportedBeforeTheRunsCheckpoints() throws IOException {
    Path run = dir.resolve("trained");
    VaeRun first = train(run);
    assertThat(first.exitCode()).as(first.err()).isZero();

    VaeRun badOption = train(run, "--on-nan", "ignore");
    assertThat(badOption.exitCode()).isNotZero();
    assertThat(badOption.err()).contains("--on-nan must be stop or skip, got 'ignore'")
        .doesNotContain("already holds");

    VaeRun again = train(run);
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("already holds a run of `vae train`");
  }
}
