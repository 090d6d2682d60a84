package dev.vae.examples.cli;

import static dev.vae.examples.testkit.VaeRun.newestCheckpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `vae train --prior`: trainable priors chosen by name, kept in checkpoints, resumed, evaluated (with the
 * amortisation gap) and sampled.
 */
class PriorCommandTest {
  @TempDir
  static Path dir;

  private static Path data;

  @BeforeAll
  static void writeTinyMnist() throws IOException {
    data = SyntheticMnist.write(dir.resolve("mnist"), 160, 32);
  }

  @Test
  void theInstalledPriorsAreListed() {
    VaeRun listed = VaeRun.of("priors");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out()).contains("standard-normal").contains("mixture").contains("vamp");
  }

  @Test
  void aVampPriorTrainsResumesEvaluatesAndSamples() throws IOException {
    Path run = dir.resolve("vamp");
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--hidden", "8",
        "--batch-size", "32", "--epochs", "1", "--prior", "vamp", "--prior-options", "pseudo-inputs=6",
        "--no-pictures");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("prior vamp");
    double[] first = newestCheckpoint(run).parameters().get("prior.pseudo-inputs").toDoubles();
    assertThat(first).hasSize(6 * 784);

    VaeRun resumed = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", "2",
        "--resume", "--no-pictures");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(newestCheckpoint(run).parameters().get("prior.pseudo-inputs").toDoubles()).isNotEqualTo(first);

    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "5",
        "--amortisation-gap", "8", "--gap-steps", "5");
    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    assertThat(evaluated.out()).contains("prior vamp").contains("-log p(x)")
        .contains("amortisation gap on 8 test examples").contains("approximation gap log p(x) - ELBO(q*)");
    assertThat(run.resolve("amortisation-gap.png")).exists();
    VaeRun sampled = VaeRun.of("sample", "--run", run.toString(), "--data-dir", data.toString());
    assertThat(sampled.exitCode()).as(sampled.err()).isZero();
    assertThat(run.resolve("samples.png")).exists();
  }

  @Test
  void aMixturePriorTrainsWithPicturesResumesAndEvaluates() throws IOException {
    Path run = dir.resolve("mixture");
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--hidden", "8",
        "--batch-size", "32", "--epochs", "1", "--latent", "3", "--prior", "mixture", "--prior-options",
        "components=4");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(newestCheckpoint(run).parameters()).containsKeys("prior.means", "prior.log-variances", "prior.logits");
    assertThat(newestCheckpoint(run).parameters().get("prior.means").toDoubles()).hasSize(4 * 3);
    assertThat(run.resolve("traversals.png")).exists();
    assertThat(run.resolve("diagnostics.png")).exists();
    assertThat(run.resolve("kl-per-dimension.png")).as("no KL per dimension without a closed form").doesNotExist();

    VaeRun resumed = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", "2",
        "--resume", "--no-pictures");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    VaeRun changed = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", "3",
        "--resume", "--prior", "vamp");
    assertThat(changed.exitCode()).isNotZero();
    assertThat(changed.err()).contains("--prior was 'mixture' when the run began but is 'vamp' now");
    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "5");
    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    assertThat(evaluated.out()).contains("prior mixture");
  }

  @Test
  void aTwoLayerPriorTrainsFromThePresetResumesAndReportsEachLayer() throws IOException {
    Path run = dir.resolve("two-layer");
    Path preset = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/presets/burda-two-layer.yaml");
    VaeRun trained = VaeRun.of("train", "--config", preset.toString(), "--run", run.toString(), "--data-dir",
        data.toString(), "--batch-size", "32", "--epochs", "1", "--prior-options", "latent2=3,hidden=6",
        "--no-pictures");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("784 -> 100 latent").contains("prior two-layer");
    assertThat(newestCheckpoint(run).parameters().get("prior.inference.0.weight").toDoubles()).hasSize(100 * 6);
    VaeRun resumed = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", "2",
        "--resume", "--no-pictures", "--variant", "iwae", "--override", "variant");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "5");
    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    assertThat(evaluated.out()).contains("KL of layer 1 (z, 100 dims)").contains("KL of layer 2 (z2, 3 dims)");
    assertThat(run.resolve("layers.png")).exists();
  }

  @Test
  void aLadderTrainsWithFreeBitsPerLayerResumesExactlyAndReportsEachLayer() throws IOException {
    String[] model = {"--data-dir", data.toString(), "--hidden", "8", "--latent", "4", "--batch-size", "32",
        "--prior", "ladder", "--prior-options", "latents=3x2,hidden=8", "--variant", "free-bits",
        "--variant-options", "lambda=0.1,group-sizes=4x3x2", "--no-pictures"};
    Path run = dir.resolve("ladder");
    VaeRun trained = VaeRun.of(concat(model, "train", "--run", run.toString(), "--epochs", "1"));
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("prior ladder").containsPattern("kl per layer [0-9.]+ / [0-9.]+ / [0-9.]+");
    VaeRun resumed = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", "2",
        "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).containsPattern("active_units_layer2 [0-9]+  mutual_information_layer2 -?[0-9.]+"
        + "  active_units_layer3 [0-9]+");
    assertThat(run.resolve("diagnostics.png")).as("with each layer's KL, active units and I").isNotEmptyFile();
    Path straight = dir.resolve("ladder-straight");
    VaeRun twoEpochs = VaeRun.of(concat(model, "train", "--run", straight.toString(), "--epochs", "2"));
    assertThat(twoEpochs.exitCode()).as(twoEpochs.err()).isZero();
    assertThat(newestCheckpoint(run).parameters().get("prior.top-down2.0.weight").toDoubles())
        .as("resumed as if never stopped").hasSize(2 * 8)
        .containsExactly(newestCheckpoint(straight).parameters().get("prior.top-down2.0.weight").toDoubles());

    MetricsTable metrics = MetricsTable.read(run.resolve("metrics.csv"));
    double[] layers = metrics.lastRowPrefixed("kl_layer");
    double[] kl = metrics.column("train_kl");
    assertThat(layers).hasSize(3);
    assertThat(layers[0] + layers[1] + layers[2]).as("the layers' KLs add up to the KL")
        .isCloseTo(kl[kl.length - 1], org.assertj.core.api.Assertions.within(1e-3 * Math.abs(kl[kl.length - 1])));
    assertThat(metrics.lastRowPrefixed("kl_z")).as("z's own dimensions").hasSize(4);

    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "5");
    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    assertThat(evaluated.out()).contains("KL of layer 1 (z, 4 dims)", "KL of layer 2 (z2, 3 dims)",
        "KL of layer 3 (z3, 2 dims)");
    assertThat(run.resolve("layers.png")).exists();
    VaeRun sampled = VaeRun.of("sample", "--run", run.toString(), "--data-dir", data.toString());
    assertThat(sampled.exitCode()).as(sampled.err()).isZero();
  }

  private static String[] concat(String[] options, String... command) {
    String[] all = java.util.Arrays.copyOf(command, command.length + options.length);
    System.arraycopy(options, 0, all, command.length, options.length);
    return all;
  }

  @Test
  void aRunRecordedBeforePriorsExistedBeganWithTheStandardNormal() {
    picocli.CommandLine.Model.CommandSpec spec = new picocli.CommandLine(new TrainCommand()).getCommandSpec();
    java.util.Map<String, String> complete = RecordedCommandOptions.withDefaults(java.util.Map.of("epochs", "3"),
        spec);
    assertThat(complete).containsEntry("prior", "standard-normal").containsEntry("epochs", "3");
    java.util.Map<String, String> asked = new java.util.LinkedHashMap<>(complete);
    asked.put("prior", "vamp");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> dev.vae.core.run.RecordedOptions.resolve(complete, asked, java.util.Set.of("prior"),
            java.util.Set.of(), java.util.Set.of()))
        .withMessageContaining("--prior was 'standard-normal' when the run began but is 'vamp' now");
  }
}
