package dev.vae.core.run;

import dev.vae.core.io.AtomicFiles;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.core.train.MetricsLog;
import dev.vae.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A run's directory, as every command that trains or reads a run sees it: {@code checkpoints/}
 * (the newest three kept), the metrics file and the pictures. It knows which command made a run
 * (recorded in each checkpoint as {@value #COMMAND_KEY}), so that {@code vae train} and {@code vae
 * semi-supervised} recognise each other's runs, and it checks what can be checked before any work
 * starts: that the path is a directory or can be made one, that it can be written, and that a run
 * is resumed only where there is one to resume and started afresh only where there is none.
 */
public final class RunDirectory {
  /** The checkpoint configuration key naming the command that made the run. */
  public static final String COMMAND_KEY = "run.command";
  /** The file the run's warnings are appended to. */
  public static final String WARNINGS = "warnings.txt";
  /** The subdirectory holding the checkpoints. */
  public static final String CHECKPOINTS = "checkpoints";
  private static final int KEEP = 3;

  private final Path path;
  private final String command;

  private RunDirectory(Path path, String command) {
    this.path = path;
    this.command = command;
  }

  /**
   * The run in {@code path} as command {@code command} (e.g. "train") sees it; creates nothing.
   *
   * @throws IllegalArgumentException if {@code path} exists and is not a directory
   */
  public static RunDirectory of(Path path, String command) {
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new IllegalArgumentException("--run " + path + " is a file, not a directory; expected a run directory "
          + "(it is created when missing)");
    }
    return new RunDirectory(path, command);
  }

  /** A file or directory of the run. */
  public Path resolve(String name) {
    return path.resolve(name);
  }

  /** The run's checkpoint store. */
  public CheckpointStore checkpoints() {
    return new CheckpointStore(path.resolve(CHECKPOINTS), KEEP);
  }

  /**
   * Creates the directory if needed and proves it writable by writing and deleting a file there,
   * so that a run that could not save its first checkpoint fails now rather than after an epoch.
   */
  public RunDirectory prepareForWriting() throws IOException {
    try {
      Files.createDirectories(path);
      Files.delete(Files.createTempFile(path, ".write-check.", ".tmp"));
    } catch (IOException e) {
      throw new IOException("run directory " + path + " cannot be written (" + e + "); choose another --run "
          + "directory or make this one writable", e);
    }
    return this;
  }

  /**
   * The checkpoint a training command goes on from: with {@code resume}, the newest one that
   * loads; without, none, after making sure the directory holds no run to overwrite.
   *
   * @throws IllegalStateException when resuming where nothing loads, or starting afresh where a
   *     run is, or when the run was made by another command; the message says what is there and
   *     what to do
   */
  public Optional<Checkpoint> checkpointToResume(boolean resume) throws IOException {
    CheckpointStore store = checkpoints();
    List<CheckpointStore.Entry> entries = store.list();
    Optional<Checkpoint> newest = newestLoadable(store, entries);
    newest.ifPresent(c -> requireMadeByThisCommand(c, resume ? "; continue it with `vae " + commandOf(c)
        + " --resume --run " + path + "`" : "; choose another --run directory"));
    if (resume && newest.isEmpty()) {
      throw new IllegalStateException(entries.isEmpty()
          ? "--resume: " + path + " holds no checkpoint to resume; start the run without --resume"
          : "--resume: no checkpoint in " + store.root() + " can be loaded:\n" + problems(entries)
              + "\nnothing can be resumed; start afresh with another --run directory (or move " + store.root()
              + " aside and start again in " + path + ")");
    }
    if (!resume && newest.isPresent()) {
      throw new IllegalStateException(path + " already holds a run of `vae " + command + "` (checkpoint of step "
          + newest.get().step() + ", epoch " + newest.get().epoch() + "): pass --resume to continue it, or choose "
          + "another --run directory");
    }
    if (!resume && !entries.isEmpty()) {
      throw new IllegalStateException(path + " holds checkpoints that cannot be loaded:\n" + problems(entries)
          + "\nthey are kept as they are; start in another --run directory (or move " + store.root()
          + " aside and start again in " + path + ")");
    }
    return newest;
  }

  /**
   * The newest checkpoint of a run that {@code command} made, for commands that read a trained
   * model (evaluate, sample, ...).
   *
   * @throws IllegalStateException when there is none, naming the problems of those that do not
   *     load, or when another command made the run
   */
  public Checkpoint newestCheckpoint() throws IOException {
    CheckpointStore store = checkpoints();
    List<CheckpointStore.Entry> entries = store.list();
    Checkpoint c = newestLoadable(store, entries).orElseThrow(() ->
        new IllegalStateException(entries.isEmpty()
            ? "no checkpoint in " + store.root() + "; train first: vae " + command + " --run " + path
            : "no checkpoint in " + store.root() + " can be loaded:\n" + problems(entries)));
    requireMadeByThisCommand(c, "; this command reads runs of `vae " + command + "`");
    return c;
  }

  /**
   * The run's metrics file {@code name}, cut back to the {@code epochsDone} epochs of the
   * checkpoint the run goes on from (rows of later epochs, which run again, are removed); for a
   * new run, a file already there is set aside (see {@link MetricsLog#keepEpochs}).
   */
  public MetricsLog metrics(String name, int epochsDone) throws IOException {
    MetricsLog log = MetricsLog.forFile(path.resolve(name));
    log.keepEpochs(epochsDone);
    return log;
  }

  /**
   * A listener that appends every warning of training (a long warm-up, posterior collapse, a
   * skipped batch, early stopping) to the run's {@value #WARNINGS}, one line each, so that reports
   * show them after the console is gone. A new run ({@code epochsDone} 0) sets an earlier file aside
   * ({@code .previous}); a resumed one marks where it goes on.
   */
  public TrainingListener warnings(int epochsDone) throws IOException {
    Path file = path.resolve(WARNINGS);
    if (Files.exists(file) && epochsDone == 0) {
      AtomicFiles.setAside(file, "previous");
    } else if (Files.exists(file)) {
      Files.writeString(file, "(resumed after epoch " + epochsDone + ")\n", StandardOpenOption.APPEND);
    }
    return new TrainingListener() {
      @Override
      public void warning(String message) {
        try {
          Files.writeString(file, message.replace('\n', ' ') + "\n", StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException("could not append a warning to " + file, e);
        }
      }
    };
  }

  /** The newest checkpoint of {@code store} that loads, where {@code entries} lists any. */
  private static Optional<Checkpoint> newestLoadable(CheckpointStore store, List<CheckpointStore.Entry> entries)
      throws IOException {
    return entries.isEmpty() ? Optional.empty() : store.loadLatest();
  }

  /** The command that made the run of checkpoint {@code c}: recorded, or told by its keys for older runs. */
  static String commandOf(Checkpoint c) {
    Map<String, String> config = c.config();
    String recorded = config.get(COMMAND_KEY);
    if (recorded != null) {
      return recorded;
    }
    return config.keySet().stream().anyMatch(k -> k.startsWith("semi-supervised.")) ? "semi-supervised" : "train";
  }

  /** Fails, saying what to do ({@code advice}), unless {@code command} made the run of {@code c}. */
  private void requireMadeByThisCommand(Checkpoint c, String advice) {
    String maker = commandOf(c);
    if (!maker.equals(command)) {
      throw new IllegalStateException(path + " is a run of `vae " + maker + "`, not of `vae " + command + "`"
          + advice);
    }
  }

  private static String problems(List<CheckpointStore.Entry> entries) {
    return entries.stream().map(e -> "  " + e.directory().getFileName() + ": "
        + e.problem().orElse("its files do not verify (see the warning above)"))
        .collect(Collectors.joining("\n"));
  }
}
