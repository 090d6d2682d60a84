package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.core.run.RecordedOptions;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vae semi-supervised} refuses a wrong model choice before it loads any data, saying what it
 * expects, and resumes a checkpointed run.
 */
class SemiSupervisedCommandTest {
  private static String errorOf(String... args) {
    CommandLine cli = VaeCommand.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).isEqualTo(1);
    return err.toString();
  }

  @Test
  void anUnknownModelListsTheInstalledVariants() {
    assertThat(errorOf("semi-supervised", "--model", "m3")).contains("no variant named 'm3'").contains("m1+m2, m2");
  }

  @Test
  void aVariantThatIsNotSemiSupervisedIsRefused() {
    assertThat(errorOf("semi-supervised", "--model", "elbo"))
        .contains("--model elbo is not a semi-supervised model; expected m2 or m1+m2");
  }

  @Test
  void m1PlusM2NeedsTheRunOfM1AndM2DoesNotTakeOne() {
    assertThat(errorOf("semi-supervised", "--model", "m1+m2")).contains("--model m1+m2 needs --m1-run DIR");
    assertThat(errorOf("semi-supervised", "--model", "m2", "--m1-run", "runs/m1"))
        .contains("--m1-run is for --model m1+m2 only");
  }

  @Test
  void aRunResumesFromItsCheckpointWithTheSameOptionsOnly(@TempDir Path dir) throws Exception {
    Path data = SyntheticMnist.write(dir.resolve("data"), 200, 40);
    Path run = dir.resolve("run");
    String[] options = {"semi-supervised", "--run", run.toString(), "--data-dir", data.toString(),
        "--labels-per-class", "1", "--validation", "20", "--batch-size", "30", "--labelled-batch-size", "5",
        "--options", "hidden=8,classifier-hidden=8,latent=2", "--no-pictures"};
    VaeRun first = VaeRun.of(with(options, "--epochs", "1"));
    assertThat(first.exitCode()).as(first.out()).isZero();
    assertThat(first.out()).contains(String.format(Locale.ROOT, "labelled bound weighed by %.4g (N_l/N_u)", 10 / 170.0));
    Path metrics = run.resolve(SemiSupervisedCommand.METRICS);
    List<String> firstRows = Files.readAllLines(metrics);
    assertThat(firstRows).hasSize(2);

    VaeRun again = VaeRun.of(with(options, "--epochs", "2"));
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("already holds a run of `vae semi-supervised`").contains("pass --resume");
    VaeRun otherSeed = VaeRun.of(with(options, "--epochs", "2", "--resume", "--seed", "2"));
    assertThat(otherSeed.exitCode()).isNotZero();
    assertThat(otherSeed.err()).contains("--seed was '1' when the run began but is '2' now");

    VaeRun resumed = VaeRun.of(with(options, "--epochs", "2", "--resume"));
    assertThat(resumed.exitCode()).as(resumed.out()).isZero();
    assertThat(resumed.out()).contains("resuming after epoch 1").containsPattern("test error .* after 2 epochs");
    List<String> rows = Files.readAllLines(metrics);
    assertThat(rows).hasSize(3).startsWith(firstRows.get(0), firstRows.get(1));
    assertThat(rows.get(2)).startsWith("2,");
    CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 3);
    Checkpoint last = store.loadLatest().orElseThrow();
    assertThat(last.epoch()).isEqualTo(2);

    Map<String, String> unrecorded = new TreeMap<>(last.config());
    unrecorded.keySet().removeIf(key -> key.startsWith(RecordedOptions.PREFIX));
    store.save(new Checkpoint(last.step() + 1, last.epoch(), last.parameters(), last.optimizerState(),
        last.rngStates(), unrecorded, last.extras()));
    VaeRun older = VaeRun.of(with(options, "--epochs", "3", "--resume"));
    assertThat(older.exitCode()).as("a checkpoint that does not say which options it trained with").isNotZero();
    assertThat(older.err()).contains("--labels-per-class 1: this run did not record its options");
  }

  @Test
  void anM1PlusM2RunDoesNotResumeOnAnM1ThatHasTrainedSince(@TempDir Path dir) throws Exception {
    Path data = SyntheticMnist.write(dir.resolve("data"), 200, 40);
    Path m1 = dir.resolve("m1");
    String[] m1Options = {"train", "--run", m1.toString(), "--data-dir", data.toString(), "--hidden", "8",
        "--latent", "2", "--batch-size", "50", "--no-pictures"};
    assertThat(VaeRun.of(with(m1Options, "--epochs", "1")).exitCode()).isZero();
    String[] options = {"semi-supervised", "--model", "m1+m2", "--m1-run", m1.toString(), "--run",
        dir.resolve("run").toString(), "--data-dir", data.toString(), "--labels-per-class", "1", "--validation", "20",
        "--batch-size", "30", "--labelled-batch-size", "5", "--options", "hidden=8,classifier-hidden=8,latent=2",
        "--no-pictures"};
    VaeRun first = VaeRun.of(with(options, "--epochs", "1"));
    assertThat(first.exitCode()).as(first.out()).isZero();
    assertThat(VaeRun.of(with(m1Options, "--epochs", "2", "--resume")).exitCode()).isZero();
    VaeRun resumed = VaeRun.of(with(options, "--epochs", "2", "--resume"));
    assertThat(resumed.exitCode()).isNotZero();
    assertThat(resumed.err()).contains("--resume: the run began with M1's checkpoint of step 4 but --m1-run's newest "
        + "checkpoint is now of step 8");
  }

  private static String[] with(String[] base, String... more) {
    String[] out = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }
}
