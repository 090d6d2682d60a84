package dev.vae.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae sample}: generated digits, ANCESTRAL and MEAN side by side from the same z. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Write samples.png: ANCESTRAL samples x ~ p(x|z) beside MEAN decodings E[x|z] of the same z.")
final class SampleCommand implements Callable<Integer> {
  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "-n", defaultValue = "64", description = "Samples per panel (default: ${DEFAULT-VALUE}).")
  int n;

  @Override
  public Integer call() throws Exception {
    try (LoadedRun loaded = LoadedRun.open(run)) {
      System.out.println(new Pictures(run.run, loaded.vae(), loaded.mnist(), loaded.config().seed()).samples(n));
    }
    return 0;
  }
}
