package dev.vae.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory says what is wrong before work starts, and never points in a circle. */
class RunDirectoryTest {
  @TempDir
  Path dir;

  private static Checkpoint checkpoint(long step, String command) {
    return Checkpoint.builder(step).epoch(step).config(Map.of(RunDirectory.COMMAND_KEY, command)).build();
  }

  private static List<Path> filesUnder(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.sorted().toList();
    }
  }

  @Test
  void aRegularFileIsNotARunDirectory() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.txt"), "x");
    assertThatThrownBy(() -> RunDirectory.of(file, "train")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--run " + file + " is a file, not a directory");
  }

  @Test
  void aDirectoryThatCannotBeWrittenIsReportedBeforeTraining() {
    // Nothing can be created under /proc, not even by root.
    Path unwritable = Path.of("/proc/vae-run");
    assertThatThrownBy(() -> RunDirectory.of(unwritable, "train").prepareForWriting())
        .isInstanceOf(IOException.class).hasMessageContaining("run directory /proc/vae-run cannot be written")
        .hasMessageContaining("choose another --run directory");
  }

  @Test
  void aWritableDirectoryIsCreatedAndLeftClean() throws IOException {
    Path run = dir.resolve("new/run");
    RunDirectory.of(run, "train").prepareForWriting();
    assertThat(run).isEmptyDirectory();
  }

  @Test
  void resumingWhereThereIsNothingSaysSo() {
    assertThatThrownBy(() -> RunDirectory.of(dir, "train").checkpointToResume(true))
        .hasMessageContaining("holds no checkpoint to resume; start the run without --resume");
  }

  @Test
  void startingAfreshOverARunIsRefusedAndResumingIsOffered() throws IOException {
    RunDirectory run = RunDirectory.of(dir, "train");
    run.checkpoints().save(checkpoint(100, "train"));
    assertThatThrownBy(() -> run.checkpointToResume(false))
        .hasMessageContaining("already holds a run of `vae train` (checkpoint of step 100, epoch 100): pass --resume");
    assertThat(run.checkpointToResume(true)).map(Checkpoint::step).contains(100L);
  }

  @Test
  void aRunOfAnotherCommandIsNamedWithTheCommandThatContinuesIt() throws IOException {
    RunDirectory.of(dir, "semi-supervised").checkpoints().save(checkpoint(7, "semi-supervised"));
    assertThatThrownBy(() -> RunDirectory.of(dir, "train").checkpointToResume(true))
        .hasMessageContaining("is a run of `vae semi-supervised`, not of `vae train`; continue it with "
            + "`vae semi-supervised --resume --run " + dir + "`");
    assertThatThrownBy(() -> RunDirectory.of(dir, "train").newestCheckpoint())
        .hasMessageContaining("is a run of `vae semi-supervised`, not of `vae train`");
  }

  @Test
  void olderRunsAreToldApartByTheirKeys() {
    assertThat(RunDirectory.commandOf(Checkpoint.builder(1).config(Map.of("semi-supervised.model", "m2")).build()))
        .isEqualTo("semi-supervised");
    assertThat(RunDirectory.commandOf(Checkpoint.builder(1).config(Map.of("model.latent", "2")).build()))
        .isEqualTo("train");
  }

  @Test
  void onlyUnloadableCheckpointsGiveOneAdviceThatDoesNotLoopAndDeleteNothing() throws IOException {
    RunDirectory run = RunDirectory.of(dir, "train");
    Path saved = run.checkpoints().save(checkpoint(5, "train"));
    Files.delete(saved.resolve(CheckpointStore.OPTIMIZER_FILE));
    List<Path> before = filesUnder(dir);
    String resuming = messageOf(() -> run.checkpointToResume(true));
    String starting = messageOf(() -> run.checkpointToResume(false));
    for (String message : List.of(resuming, starting)) {
      assertThat(message).contains("step-000000005: ").contains(CheckpointStore.OPTIMIZER_FILE)
          .contains("another --run directory").doesNotContain("pass --resume")
          .doesNotContain("without --resume");
    }
    assertThat(filesUnder(dir)).isEqualTo(before);
  }

  @Test
  void warningsOfAnEarlierRunAreSetAsideAndAResumeIsMarked() throws IOException {
    RunDirectory run = RunDirectory.of(dir, "train");
    Files.writeString(dir.resolve(RunDirectory.WARNINGS), "old warning\n");
    run.warnings(0).warning("new warning");
    assertThat(dir.resolve(RunDirectory.WARNINGS + ".previous")).hasContent("old warning\n");
    assertThat(dir.resolve(RunDirectory.WARNINGS)).hasContent("new warning\n");
    run.warnings(3).warning("after the resume");
    assertThat(dir.resolve(RunDirectory.WARNINGS)).hasContent("new warning\n(resumed after epoch 3)\n"
        + "after the resume\n");
  }

  private static String messageOf(ThrowingCall call) {
    try {
      call.run();
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a failure");
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }
}
