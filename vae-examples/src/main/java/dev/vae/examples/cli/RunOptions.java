package dev.vae.examples.cli;

import dev.vae.core.autodiff.Engine;
import dev.vae.core.backend.BackendRegistry;
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

  Optional<Path> dataDirectory() {
    return Optional.ofNullable(dataDir);
  }
}
