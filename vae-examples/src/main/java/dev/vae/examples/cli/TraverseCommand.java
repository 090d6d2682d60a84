package dev.vae.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae traverse}: latent traversals of a trained run, the dimensions with the most KL first. */
@Command(name = "traverse", mixinStandardHelpOptions = true,
    description = "Write traversals.png: decoder means as one latent dimension sweeps from -3 to 3, one row per "
        + "dimension, the dimensions with the largest KL on the first 1000 test images first, the same order as "
        + "vae train draws.")
final class TraverseCommand implements Callable<Integer> {
  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "--dimensions", defaultValue = "10", description = "Rows: latent dimensions shown (default: "
      + "${DEFAULT-VALUE}).")
  int dimensions;

  @Option(names = "--steps", defaultValue = "11", description = "Columns: values from -3 to 3 (default: "
      + "${DEFAULT-VALUE}).")
  int steps;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--dimensions", dimensions, 1, " (rows)");
    OptionChecks.atLeast("--steps", steps, 2, " (columns from -3 to 3)");
    try (LoadedRun loaded = LoadedRun.open(run)) {
      Pictures pictures = new Pictures(run.run, loaded.vae(), loaded.data(), loaded.config().seed());
      System.out.println(pictures.traversals(dimensions, steps));
    }
    return 0;
  }
}
