package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.LoggedWarnings;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The variant commands end to end on a tiny MNIST-shaped data set: training with a
 * variant by name writes its terms and the latent diagnostics, and `compare`, `traverse` and
 * `variants` work on the runs; a bad variant option stops with the options there are.
 */
class VariantCommandsTest {
  @TempDir
  static Path dir;

  private static Path data;

  @BeforeAll
  static void writeTinyMnist() throws IOException {
    data = SyntheticMnist.write(dir.resolve("mnist"), 256, 64);
  }

  private static VaeRun train(String run, String variant, String options) {
    return VaeRun.of("train", "--run", dir.resolve(run).toString(), "--data-dir", data.toString(), "--epochs", "3",
        "--hidden", "32", "--latent", "3", "--batch-size", "64", "--variant", variant, "--variant-options", options);
  }

  @Test
  void aVariantTrainsByNameAndItsRunsCompareAndTraverse() throws IOException {
    VaeRun beta;
    try (LoggedWarnings warnings = LoggedWarnings.capture()) {
      beta = train("beta", "beta", "beta=2,schedule=linear,warmup-steps=100");
      assertThat(warnings.messages()).anySatisfy(w -> assertThat(w).contains("the KL warm-up of 100 steps is longer"));
    }
    assertThat(beta.exitCode()).as(beta.err()).isZero();
    assertThat(beta.out()).contains("variant beta");
    List<String> metrics = Files.readAllLines(dir.resolve("beta/metrics.csv"));
    assertThat(metrics.get(0)).as("latent dimensions numbered from 1, as in every picture")
        .contains("active_units", "mutual_information", "train_variant_beta", "kl_z1", "kl_z3")
        .doesNotContain("kl_z0");
    assertThat(metrics).hasSize(4);
    assertThat(dir.resolve("beta/diagnostics.png")).isNotEmptyFile();
    assertThat(dir.resolve("beta/traversals.png")).isNotEmptyFile();

    VaeRun delta = train("delta", "delta", "delta=0.5");
    assertThat(delta.exitCode()).as(delta.err()).isZero();
    VaeRun compare = VaeRun.of("compare", "--runs", dir.resolve("beta") + "," + dir.resolve("delta"), "--labels", "b,d",
        "--data-dir", data.toString(), "--examples", "64", "--out", dir.resolve("compare.png").toString());
    assertThat(compare.exitCode()).as(compare.err()).isZero();
    assertThat(dir.resolve("compare.png")).isNotEmptyFile();
    String deltaRow = compare.out().lines().filter(l -> l.startsWith("| d |")).findFirst().orElseThrow();
    double smallestKl = Double.parseDouble(deltaRow.split("\\|")[4].trim());
    assertThat(smallestKl).as("the committed rate on every dimension").isGreaterThanOrEqualTo(0.5 - 1e-5);

    byte[] fromTraining = Files.readAllBytes(dir.resolve("beta/traversals.png"));
    Files.delete(dir.resolve("beta/traversals.png"));
    VaeRun again = VaeRun.of("traverse", "--run", dir.resolve("beta").toString(), "--data-dir", data.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("beta/traversals.png")))
        .as("train and traverse order the rows by the same KL, measured on the same test images")
        .isEqualTo(fromTraining);
    Files.delete(dir.resolve("beta/traversals.png"));
    VaeRun traverse = VaeRun.of("traverse", "--run", dir.resolve("beta").toString(), "--data-dir", data.toString(),
        "--dimensions", "2", "--steps", "5");
    assertThat(traverse.exitCode()).as(traverse.err()).isZero();
    assertThat(dir.resolve("beta/traversals.png")).isNotEmptyFile();
  }

  @Test
  void variantsAreListedAndABadOptionNamesTheOnesThereAre() {
    VaeRun list = VaeRun.of("variants");
    assertThat(list.out()).contains("elbo", "beta", "capacity", "free-bits", "iwae", "delta");
    VaeRun bad = train("typo", "free-bits", "lamda=1");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("has no option 'lamda'").contains("lambda");
  }
}
