package dev.vae.examples.cli;

import static dev.vae.examples.testkit.VaeRun.newestCheckpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.core.run.RecordedOptions;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `vae train --resume` goes on with the options the run recorded: a changed one is refused with
 * both values, one left out keeps its recorded value, a deliberate change is recorded, and the
 * metrics hold every epoch once even when a resume runs an epoch again.
 */
class ResumeTest {
  @TempDir
  static Path dir;

  private static Path data;

  @BeforeAll
  static void writeTinyMnist() throws IOException {
    data = SyntheticMnist.write(dir.resolve("mnist"), 160, 32);
  }

  private static VaeRun train(Path run, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--run", run.toString(), "--data-dir", data.toString(),
        "--hidden", "8", "--batch-size", "32", "--no-pictures"));
    args.addAll(List.of(more));
    return VaeRun.of(args.toArray(String[]::new));
  }

  @Test
  void aChangedOptionIsRefusedNamingBothValues() {
    Path run = dir.resolve("latent");
    assertThat(train(run, "--epochs", "1", "--latent", "3").exitCode()).isZero();
    VaeRun changed = train(run, "--epochs", "2", "--latent", "10", "--resume");
    assertThat(changed.exitCode()).isNotZero();
    assertThat(changed.err()).contains("--latent was '3' when the run began but is '10' now");
    assertThat(changed.out()).doesNotContain("resuming");
  }

  @Test
  void anOptionLeftOutKeepsItsRecordedValue() throws IOException {
    Path run = dir.resolve("limit");
    VaeRun first = train(run, "--epochs", "1", "--latent", "2", "--limit", "96");
    assertThat(first.out()).contains("96 training examples");
    VaeRun resumed = train(run, "--epochs", "2", "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("96 training examples").contains("resuming after epoch 1");
    assertThat(newestCheckpoint(run).config()).containsEntry(RecordedOptions.PREFIX + "limit", "96")
        .containsEntry(RecordedOptions.PREFIX + "latent", "2").containsEntry("model.latent", "2");
  }

  @Test
  void anOverriddenOptionChangesAndTheRunRecordsIt() throws IOException {
    Path run = dir.resolve("override");
    assertThat(train(run, "--epochs", "1", "--latent", "2").exitCode()).isZero();
    VaeRun resumed = train(run, "--epochs", "2", "--lr", "5e-4", "--resume", "--override", "lr");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("overriding lr: 1e-3 -> 5e-4");
    Checkpoint c = newestCheckpoint(run);
    assertThat(c.config()).containsEntry(RecordedOptions.PREFIX + "lr", "5e-4")
        .containsEntry("train.learning-rate", "5.0E-4")
        .containsEntry(RecordedOptions.OVERRIDES_KEY, "after epoch 1, lr: 1e-3 -> 5e-4");
  }

  @Test
  void anEpochRunAgainAfterAResumeIsInTheMetricsOnce() throws IOException {
    Path run = dir.resolve("metrics");
    assertThat(train(run, "--epochs", "2", "--latent", "2").exitCode()).isZero();
    // The newest checkpoint lost (as after a crash in its write): the resume runs epoch 2 again.
    CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 3);
    store.deleteNewerThan(newestCheckpoint(run).step() - 1);
    VaeRun resumed = train(run, "--epochs", "3", "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(rows.stream().skip(1).map(r -> r.split(",")[0])).containsExactly("1", "2", "3");
  }

  @Test
  void aPlainRunAndASemiSupervisedRunRecogniseEachOther() {
    Path run = dir.resolve("plain");
    assertThat(train(run, "--epochs", "1", "--latent", "2").exitCode()).isZero();
    VaeRun semi = VaeRun.of("semi-supervised", "--run", run.toString(), "--data-dir", data.toString(), "--resume",
        "--no-pictures");
    assertThat(semi.exitCode()).isNotZero();
    assertThat(semi.err()).contains("is a run of `vae train`, not of `vae semi-supervised`; continue it with "
        + "`vae train --resume --run " + run + "`");
    VaeRun fresh = VaeRun.of("semi-supervised", "--run", run.toString(), "--data-dir", data.toString(),
        "--no-pictures");
    assertThat(fresh.err()).contains("is a run of `vae train`, not of `vae semi-supervised`");
  }

  @Test
  void aCorruptNewestCheckpointIsSetAsideAndTheRunGoesOnFromTheOneBefore() throws IOException {
    Path run = dir.resolve("corrupt");
    assertThat(train(run, "--epochs", "2", "--latent", "2").exitCode()).isZero();
    Path newest = run.resolve("checkpoints").resolve(CheckpointStore.directoryName(newestCheckpoint(run).step()));
    Path parameters = newest.resolve(CheckpointStore.PARAMETERS_FILE);
    byte[] bytes = Files.readAllBytes(parameters);
    bytes[bytes.length - 1] ^= 0x40;
    Files.write(parameters, bytes);
    VaeRun resumed = train(run, "--epochs", "3", "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("resuming after epoch 1");
    assertThat(Path.of(newest + ".corrupt").resolve(CheckpointStore.PARAMETERS_FILE)).hasBinaryContent(bytes);
    VaeRun again = train(run, "--epochs", "4", "--resume");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("resuming after epoch 3");
    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(rows.stream().skip(1).map(r -> r.split(",")[0])).containsExactly("1", "2", "3", "4");
  }

  @Test
  void aRunOfAnEarlierVersionResumesAgainAndAgainAsItsCheckpointSays() throws IOException {
    Path run = dir.resolve("legacy");
    assertThat(train(run, "--epochs", "1", "--latent", "3", "--lr", "2e-3").exitCode()).isZero();
    Checkpoint saved = newestCheckpoint(run);
    Map<String, String> unrecorded = new TreeMap<>(saved.config());
    unrecorded.keySet().removeIf(key -> key.startsWith(RecordedOptions.PREFIX));
    CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 3);
    store.deleteNewerThan(saved.step() - 1);
    store.save(new Checkpoint(saved.step(), saved.epoch(), saved.parameters(), saved.optimizerState(),
        saved.rngStates(), unrecorded, saved.extras()));
    for (int epochs = 2; epochs <= 3; epochs++) {
      VaeRun resumed = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs",
          Integer.toString(epochs), "--resume", "--no-pictures");
      assertThat(resumed.exitCode()).as(resumed.err()).isZero();
      assertThat(newestCheckpoint(run).config()).as("still recording no options").noneSatisfy((key, value) ->
          assertThat(key).startsWith(RecordedOptions.PREFIX))
          .containsEntry("model.latent", "3").containsEntry("train.learning-rate", "0.002");
    }
  }

  @Test
  void aPluginsOptionsAloneMayBeGivenAgainOnResume() {
    Path run = dir.resolve("gaussian");
    assertThat(train(run, "--epochs", "1", "--latent", "2", "--binarize", "none", "--likelihood", "gaussian",
        "--likelihood-options", "sigma=learned").exitCode()).isZero();
    VaeRun resumed = train(run, "--epochs", "2", "--resume", "--likelihood-options", "sigma=learned");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
  }
}
