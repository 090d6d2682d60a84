package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options from a YAML or JSON file: lists and maps read as the command line writes them, the
 * command line wins over the file, every run writes its resolved options, and those repeat the run.
 */
class ConfigFileTest {
  @TempDir
  static Path dir;

  private static Path data;

  @BeforeAll
  static void writeTinyMnist() throws IOException {
    data = SyntheticMnist.write(dir.resolve("mnist"), 128, 32);
  }

  private static final Set<String> KNOWN = Set.of("epochs", "hidden", "likelihood", "likelihood-options", "lr");

  @Test
  void listsAndMapsReadAsTheCommandLineWritesThem() throws IOException {
    Path yaml = Files.writeString(dir.resolve("a.yaml"), "command: train\nepochs: 3\nhidden: [500, 300]\n"
        + "likelihood-options: {sigma: learned, min-sigma: 0.01}\nlr: 1e-3\n");
    assertThat(ConfigFile.read(yaml, "train", KNOWN, Set.of()).options()).containsExactly(Map.entry("epochs", "3"),
        Map.entry("hidden", "500,300"), Map.entry("likelihood-options", "sigma=learned,min-sigma=0.01"),
        Map.entry("lr", "1e-3"));
    Path json = Files.writeString(dir.resolve("a.json"), "{\"epochs\": 3, \"hidden\": [500, 300]}");
    assertThat(ConfigFile.read(json, "train", KNOWN, Set.of()).options()).containsEntry("hidden", "500,300");
  }

  @Test
  void theFileARunWritesRepeatsTheRunAndTheCommandLineWins() throws IOException {
    Path config = Files.writeString(dir.resolve("run.yaml"), "epochs: 1\nhidden: [16, 8]\nlatent: 3\n"
        + "batch-size: 32\nseed: 4\n");
    Path first = dir.resolve("first");
    VaeRun a = VaeRun.of("train", "--config", config.toString(), "--run", first.toString(), "--data-dir",
        data.toString(), "--no-pictures");
    assertThat(a.exitCode()).as(a.err()).isZero();
    Path written = first.resolve(ConfigFile.RUN_FILE);
    assertThat(Files.readString(written)).contains("command: train", "hidden: \"16,8\"", "latent: 3", "seed: 4",
        "lr: 1e-3");

    Path second = dir.resolve("second");
    VaeRun b = VaeRun.of("train", "--config", written.toString(), "--run", second.toString(), "--data-dir",
        data.toString(), "--no-pictures");
    assertThat(b.exitCode()).as(b.err()).isZero();
    Path step = Path.of("checkpoints", "step-000000004", "parameters.safetensors");
    assertThat(second.resolve(step)).as("the same run again").hasSameBinaryContentAs(first.resolve(step));

    Path third = dir.resolve("third");
    VaeRun c = VaeRun.of("train", "--config", written.toString(), "--run", third.toString(), "--data-dir",
        data.toString(), "--no-pictures", "--latent", "2");
    assertThat(c.exitCode()).as(c.err()).isZero();
    assertThat(Files.readString(third.resolve(ConfigFile.RUN_FILE))).contains("latent: 2", "seed: 4");
  }

  @Test
  void aResumeWithTheRunsOwnFileGoesOnAndWithAChangedOneIsRefused() throws IOException {
    Path run = dir.resolve("resumed");
    VaeRun first = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", "1",
        "--hidden", "8", "--latent", "2", "--batch-size", "32", "--no-pictures");
    assertThat(first.exitCode()).as(first.err()).isZero();
    Path own = run.resolve(ConfigFile.RUN_FILE);
    VaeRun again = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--config",
        own.toString(), "--epochs", "2", "--resume", "--no-pictures");
    assertThat(again.exitCode()).as(again.err()).isZero();
    Path changed = Files.writeString(dir.resolve("changed.yaml"), Files.readString(own).replace("latent: 2",
        "latent: 5"));
    VaeRun refused = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--config",
        changed.toString(), "--epochs", "3", "--resume", "--no-pictures");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("--latent was '2' when the run began but is '5' now");
  }
}
