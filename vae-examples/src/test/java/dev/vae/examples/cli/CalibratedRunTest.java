package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import dev.vae.likelihoods.DiagonalGaussian;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A run with the calibrated-σ Gaussian, reloaded: its checkpoint holds σ, the reloaded model's σ
 * is fixed at that value, and sampling and evaluating a reloaded run work; a resumed run starts from
 * the stored σ.
 */
class CalibratedRunTest {
  @Test
  void aReloadedCalibratedRunHasItsSigmaBackAndSamplesAndEvaluates(@TempDir Path dir) throws Exception {
    Path data = SyntheticMnist.write(dir.resolve("data"), 128, 32);
    Path run = dir.resolve("run");
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--binarize", "none",
        "--likelihood", "gaussian", "--likelihood-options", "sigma=calibrated", "--epochs", "1", "--batch-size", "32",
        "--hidden", "16", "--latent", "2", "--no-pictures");
    assertThat(trained.exitCode()).as(trained.out()).isZero();

    Checkpoint saved = new CheckpointStore(run.resolve("checkpoints"), 3).loadLatest().orElseThrow();
    double sigma = saved.parameters().get(DiagonalGaussian.CALIBRATED_SIGMA).toDoubles()[0];
    assertThat(sigma).isBetween(1e-3, 1.0);
    RunOptions options = new RunOptions();
    new CommandLine(options).parseArgs("--run", run.toString(), "--data-dir", data.toString());
    try (LoadedRun loaded = LoadedRun.open(options)) {
      assertThat(loaded.vae().likelihood().estimates()).containsEntry(DiagonalGaussian.CALIBRATED_SIGMA, sigma);
    }

    VaeRun sampled = VaeRun.of("sample", "--run", run.toString(), "--data-dir", data.toString(), "-n", "8");
    assertThat(sampled.exitCode()).as(sampled.out()).isZero();
    assertThat(run.resolve("samples.png")).isNotEmptyFile();
    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "10",
        "--subset", "16", "--no-pca");
    assertThat(evaluated.exitCode()).as(evaluated.out()).isZero();
    assertThat(evaluated.out()).containsPattern("-log p\\(x\\) -?\\d+\\.\\d+ nats");
  }

  @Test
  void aResumedRunWithNoEpochLeftStillDrawsItsPicturesWithTheStoredSigma(@TempDir Path dir) throws Exception {
    Path data = SyntheticMnist.write(dir.resolve("data"), 128, 32);
    Path run = dir.resolve("run");
    String[] common = {"--run", run.toString(), "--data-dir", data.toString(), "--binarize", "none",
        "--likelihood", "gaussian", "--likelihood-options", "sigma=calibrated", "--epochs", "1", "--batch-size", "32",
        "--hidden", "16", "--latent", "2"};
    VaeRun trained = VaeRun.of(concat(new String[] {"train", "--no-pictures"}, common));
    assertThat(trained.exitCode()).as(trained.out()).isZero();
    VaeRun resumed = VaeRun.of(concat(new String[] {"train", "--resume"}, common));
    assertThat(resumed.exitCode()).as(resumed.out()).isZero();
    assertThat(run.resolve("samples.png")).isNotEmptyFile();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
