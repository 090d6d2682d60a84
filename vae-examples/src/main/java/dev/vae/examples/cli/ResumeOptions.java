package dev.vae.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Options of the commands that train a run: read options from a file, resume it, deliberately
 * change a recorded option on resume, and skip the pictures. None of them is recorded in the run.
 */
final class ResumeOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Read options from a YAML or JSON file (names without dashes, e.g. `epochs: 20`); options on "
          + "the command line win. Every run writes its own as config.yaml: --config RUN/config.yaml repeats it.")
  Path config;

  @Option(names = "--resume", description = "Continue from the newest checkpoint in the run directory, with the "
      + "options the run recorded; an option given with another value is refused unless named with --override.")
  boolean resume;

  @Option(names = "--override", split = ",", paramLabel = "OPTION",
      description = "With --resume: allow this option (without dashes, e.g. lr) to take the new value given; the "
          + "change is recorded in the run.")
  Set<String> overrides = new LinkedHashSet<>();

  @Option(names = "--no-pictures", description = "Skip writing pictures after training.")
  boolean noPictures;

  /** Fails unless --override comes with --resume. */
  void check() {
    if (!overrides.isEmpty() && !resume) {
      throw new IllegalArgumentException("--override " + String.join(",", overrides) + " is for --resume only: a new "
          + "run takes every option as given");
    }
  }
}
