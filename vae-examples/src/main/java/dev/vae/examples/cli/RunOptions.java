package dev.vae.examples.cli;

import dev.vae.core.autodiff.Engine;
import dev.vae.core.backend.BackendRegistry;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command shares: the run directory, the backend and where MNIST is. */
final class RunOptions {
  @Option(names = "--run", defaultValue = "runs/mnist", description = "Run directory: checkpoints, metrics, pictures "
      + "(default: ${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--backend", description = "Compute backend by name (default: the best available; also "
      + "-Dvae.backend or VAE_BACKEND).")
  String backend;

  @Option(names = "--data-dir", description = "Directory with the MNIST IDX files, or with an mnist subdirectory "
      + "holding them; an error if they are not there. Without it: $VAE_DATA if set (the same rule), else the cache "
      + "that scripts/fetch-mnist.sh fills.")
  Path dataDir;

  Engine engine() {
    return engineFor(backend);
  }

  /** An engine on the named backend, or when null on the one -Dvae.backend, VAE_BACKEND or priority choose. */
  static Engine engineFor(String backend) {
    Optional<String> requested = backend != null ? Optional.of(backend) : BackendRegistry.requestedName();
    return new Engine(BackendRegistry.discover().create(requested));
  }

  /** The same options for the run in directory {@code other}. */
  RunOptions withRun(Path other) {
    RunOptions copy = new RunOptions();
    copy.run = other;
    copy.backend = backend;
    copy.dataDir = dataDir;
    return copy;
  }

  Path checkpoints() {
    return run.resolve("checkpoints");
  }

  /**
   * The run's checkpoint store, and with {@code resume} its newest checkpoint; fails when resuming a
   * run without one, or when starting afresh in a directory that already holds one.
   */
  Optional<Checkpoint> checkpointToResume(CheckpointStore store, boolean resume) throws IOException {
    Optional<Checkpoint> previous = resume ? store.loadLatest() : Optional.empty();
    if (resume && previous.isEmpty()) {
      throw new IllegalStateException("--resume: no complete checkpoint in " + checkpoints());
    }
    if (!resume && !store.list().isEmpty()) {
      throw new IllegalStateException(run + " already holds checkpoints: pass --resume to continue that run, or "
          + "choose another --run directory");
    }
    return previous;
  }

  Optional<Path> dataDirectory() {
    return Optional.ofNullable(dataDir);
  }
}
