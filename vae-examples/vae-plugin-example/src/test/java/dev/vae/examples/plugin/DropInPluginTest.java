package dev.vae.examples.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Drop a jar on the classpath and it works": the unchanged {@code vae} command line, with only
 * this module's classes added to its classpath, lists the logistic likelihood, trains a model
 * with it by name for one epoch on a small MNIST-shaped data set, evaluates it and draws samples;
 * and lists the residual-mlp network and trains with it by name.
 */
class DropInPluginTest {
  @Test
  void theCommandLineListsTheLogisticAndTrainsEvaluatesAndSamplesWithItByName(@TempDir Path dir) throws IOException {
    Path data = SyntheticMnist.write(dir.resolve("data"), 256, 64);
    Path run = dir.resolve("run");

    VaeRun listed = VaeRun.of("likelihoods");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out()).containsPattern("(?m)^logistic\\s+logistic with location and scale");

    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--binarize", "none",
        "--likelihood", "logistic", "--likelihood-options", "min-scale=0.01", "--epochs", "1", "--batch-size", "32",
        "--hidden", "32", "--latent", "2", "--no-pictures");
    assertThat(trained.exitCode()).as(trained.out()).isZero();
    assertThat(trained.out()).contains("likelihood logistic");
    List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(metrics).hasSize(2);
    List<String> header = Arrays.asList(metrics.get(0).split(","));
    String[] epoch = metrics.get(1).split(",");
    for (String column : List.of("train_elbo", "train_reconstruction", "train_kl")) {
      assertThat(Double.parseDouble(epoch[header.indexOf(column)])).as(column).isFinite();
    }
    try (var checkpoints = Files.list(run.resolve("checkpoints"))) {
      assertThat(checkpoints.count()).as("checkpoints written").isPositive();
    }

    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "20",
        "--subset", "32", "--no-pca");
    assertThat(evaluated.exitCode()).as(evaluated.out()).isZero();
    Matcher nll = Pattern.compile("-log p\\(x\\) (\\S+) nats").matcher(evaluated.out());
    assertThat(nll.find()).as(evaluated.out()).isTrue();
    assertThat(Double.parseDouble(nll.group(1))).isFinite();

    VaeRun sampled = VaeRun.of("sample", "--run", run.toString(), "--data-dir", data.toString(), "-n", "8");
    assertThat(sampled.exitCode()).as(sampled.out()).isZero();
    assertThat(run.resolve("samples.png")).isNotEmptyFile();
  }

  @Test
  void theCommandLineListsTheResidualMlpAndTrainsWithItByName(@TempDir Path dir) throws IOException {
    Path data = SyntheticMnist.write(dir.resolve("data"), 256, 64);
    VaeRun listed = VaeRun.of("networks");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out()).containsPattern("(?m)^residual-mlp\\s+a dense layer, a residual block").contains("conv");
    Path run = dir.resolve("run");
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--network",
        "residual-mlp", "--epochs", "1", "--batch-size", "32", "--hidden", "32", "--latent", "2", "--no-pictures");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    // 784·32 + 32 + 32·32 + 32 + 32·4 + 4 in the encoder, 2·32 + 32 + 32·32 + 32 + 32·784 + 784 in the decoder
    assertThat(trained.out()).contains("53332 parameters");
  }
}
