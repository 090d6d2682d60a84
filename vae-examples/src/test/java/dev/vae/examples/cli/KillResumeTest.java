package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.io.CheckpointStore;
import dev.vae.core.run.RunDirectory;
import dev.vae.examples.testkit.SyntheticMnist;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real training process killed with SIGKILL at random moments, each time followed by
 * {@code --resume}, ends bit-identical to an uninterrupted run: the same parameters and optimizer
 * state to the byte, every checkpoint on disk loadable after every kill, and the metrics holding each
 * epoch exactly once with the same values. Two kills in three come after a random time of
 * training; every third comes as soon as a checkpoint write has begun (its temporary directory
 * exists), so that kills land inside writes too (counted by the temporaries they leave behind).
 *
 * <p>CI kills {@value #DEFAULT_KILLS} times; the full form kills 50 times:
 * {@code ./mvnw -B -pl vae-examples verify -Dtest=KillResumeTest -Dvae.kills=50}.
 */
class KillResumeTest {
  private static final int DEFAULT_KILLS = 10;
  private static final long SEED = 20261207L;
  /** Metrics columns that measure time, which differs from run to run. */
  private static final List<String> TIMING_COLUMNS = List.of("seconds", "examples_per_second");

  @TempDir
  Path dir;

  private Path data;

  private int epochs;

  private List<String> command(Path run, boolean resume) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> args = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        VaeCommand.class.getName(), "train", "--run", run.toString(), "--data-dir", data.toString(), "--epochs", Integer.toString(epochs),
        "--hidden", "1024", "--latent", "8", "--batch-size", "64", "--no-pictures"));
    if (resume) {
      args.add("--resume");
    }
    return args;
  }

  /** A training process, and the moment it began to train (its "training examples" line). */
  private final class Training {
    private final Process process;
    private final CountDownLatch training = new CountDownLatch(1);

    Training(Path run, boolean resume) throws IOException {
      process = new ProcessBuilder(command(run, resume)).redirectErrorStream(true).start();
      Thread reader = new Thread(this::copyOutput, "training output");
      reader.setDaemon(true);
      reader.start();
    }

    private void copyOutput() {
      try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
        for (String line; (line = lines.readLine()) != null; ) {
          Files.writeString(dir.resolve("process.log"), line + "\n", StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
          if (line.contains("training examples")) {
            training.countDown();
          }
        }
      } catch (IOException e) {
        // the process was killed; what it printed so far is in the log
      }
    }

    /** Waits until the process trains; false if it ended first. */
    boolean awaitTraining() throws InterruptedException {
      while (!training.await(50, TimeUnit.MILLISECONDS)) {
        if (!process.isAlive()) {
          return false;
        }
      }
      return true;
    }

    /** Waits until the process is writing a checkpoint (its temporary directory exists); false if it ended. */
    boolean awaitCheckpointWrite(Path run) throws IOException, InterruptedException {
      Set<String> before = new HashSet<>(temporaryNames(run));
      while (before.containsAll(temporaryNames(run))) {
        if (process.waitFor(1, TimeUnit.MILLISECONDS)) {
          return false;
        }
      }
      return true;
    }

    int awaitEnd() throws InterruptedException {
      assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("training finished").isTrue();
      return process.exitValue();
    }
  }

  @Test
  void killedAtRandomMomentsAndResumedItEndsAsAnUninterruptedRun() throws Exception {
    int kills = Integer.getInteger("vae.kills", DEFAULT_KILLS);
    epochs = 20 + 4 * kills;
    data = SyntheticMnist.write(dir.resolve("mnist"), 128, 32);
    Path reference = dir.resolve("reference");
    Training uninterrupted = new Training(reference, false);
    assertThat(uninterrupted.awaitTraining()).as(log()).isTrue();
    long started = System.nanoTime();
    assertThat(uninterrupted.awaitEnd()).as(log()).isZero();
    long trainingMillis = (System.nanoTime() - started) / 1_000_000;

    Path run = dir.resolve("killed");
    Random random = new Random(SEED);
    int longestWait = (int) Math.max(1, trainingMillis / kills);
    Set<String> unfinishedWrites = new HashSet<>();
    for (int k = 0; k < kills; k++) {
      Training t = new Training(run, hasCheckpoint(run));
      assertThat(t.awaitTraining()).as("the process began to train: " + log()).isTrue();
      boolean ended = k % 3 == 2 ? !t.awaitCheckpointWrite(run) : t.process.waitFor(random.nextInt(longestWait),
          TimeUnit.MILLISECONDS);
      if (ended) {
        assertThat(t.process.exitValue()).as(log()).isZero();
        throw new AssertionError("the run ended after " + k + " of " + kills + " kills; give it more epochs");
      }
      t.process.destroyForcibly().waitFor();
      unfinishedWrites.addAll(temporaryNames(run));
      assertEveryCheckpointLoads(run);
    }
    System.out.printf("%d kills, %d left a checkpoint write unfinished; an uninterrupted run trained for %d ms%n",
        kills, unfinishedWrites.size(), trainingMillis);
    assertThat(new Training(run, hasCheckpoint(run)).awaitEnd()).as(log()).isZero();

    Path newestReference = newest(reference);
    Path newestKilled = newest(run);
    assertThat(newestKilled.getFileName()).isEqualTo(newestReference.getFileName());
    for (String file : List.of(CheckpointStore.PARAMETERS_FILE, CheckpointStore.OPTIMIZER_FILE)) {
      assertThat(newestKilled.resolve(file)).as(file).hasSameBinaryContentAs(newestReference.resolve(file));
    }
    assertThat(withoutTiming(run.resolve("metrics.csv"))).as("every epoch once, with the same values")
        .isEqualTo(withoutTiming(reference.resolve("metrics.csv")));
  }

  private String log() throws IOException {
    Path log = dir.resolve("process.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private static boolean hasCheckpoint(Path run) throws IOException {
    return !new CheckpointStore(run.resolve(RunDirectory.CHECKPOINTS), 3).list().isEmpty();
  }

  /** The temporary directories of unfinished checkpoint writes (a later save sweeps them). */
  private static List<String> temporaryNames(Path run) throws IOException {
    Path root = run.resolve(RunDirectory.CHECKPOINTS);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".tmp")).toList();
    }
  }

  private static void assertEveryCheckpointLoads(Path run) throws IOException {
    for (CheckpointStore.Entry e : new CheckpointStore(run.resolve(RunDirectory.CHECKPOINTS), 3).list()) {
      CheckpointStore.read(e.directory());
    }
  }

  private static Path newest(Path run) throws IOException {
    List<CheckpointStore.Entry> entries = new CheckpointStore(run.resolve(RunDirectory.CHECKPOINTS), 3).list();
    return entries.get(entries.size() - 1).directory();
  }

  /** The metrics rows without the columns that measure time. */
  private static List<String> withoutTiming(Path metrics) throws IOException {
    List<String> lines = Files.readAllLines(metrics);
    List<String> header = Arrays.asList(lines.get(0).split(","));
    List<String> rows = new ArrayList<>();
    for (String line : lines) {
      String[] fields = line.split(",");
      List<String> kept = new ArrayList<>();
      for (int i = 0; i < fields.length; i++) {
        if (!TIMING_COLUMNS.contains(header.get(i))) {
          kept.add(fields[i]);
        }
      }
      rows.add(String.join(",", kept));
    }
    return rows;
  }
}
