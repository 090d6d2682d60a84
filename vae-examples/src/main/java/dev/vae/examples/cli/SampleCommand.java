package dev.vae.examples.cli;

import dev.vae.core.model.ModelSpec;
import dev.vae.core.train.TrainingCheckpoints;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vae sample}: generated digits, ANCESTRAL and MEAN side by side from the same z; with
 * {@code --beside}, this run's ANCESTRAL samples beside another run's from the same z.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Write samples.png: ANCESTRAL samples x ~ p(x|z) beside MEAN decodings E[x|z] of the same z.")
final class SampleCommand implements Callable<Integer> {
  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "-n", defaultValue = "64", description = "Samples per panel (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(names = "--beside", paramLabel = "RUN",
      description = "Instead, write samples-beside.png: ANCESTRAL samples of this run beside those of the run in "
          + "directory RUN (same latent dimension), from the same z.")
  Path beside;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("-n", n, 1, " (samples per panel)");
    try (LoadedRun loaded = LoadedRun.open(run)) {
      Pictures pictures = new Pictures(run.run, loaded.vae(), loaded.data(), loaded.config().seed());
      if (beside == null) {
        System.out.println(pictures.samples(n));
        return 0;
      }
      try (LoadedRun other = LoadedRun.open(run.withRun(beside))) {
        System.out.println(pictures.samplesBeside(n, likelihood(loaded), other.vae(), likelihood(other)));
      }
    }
    return 0;
  }

  /** The run's likelihood with its options, e.g. "gaussian-lowrank rank=10". */
  private static String likelihood(LoadedRun loaded) {
    ModelSpec spec = TrainingCheckpoints.modelSpec(loaded.checkpoint());
    Map<String, String> options = spec.likelihoodOptions();
    return options.isEmpty() ? spec.likelihood() : spec.likelihood() + " " + options.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(","));
  }
}
