package dev.vae.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae reconstruct}: test images above their reconstructions. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
    description = "Write reconstructions.png: test images above their reconstructions.")
final class ReconstructCommand implements Callable<Integer> {
  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "-n", defaultValue = "16", description = "Images (default: ${DEFAULT-VALUE}).")
  int n;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("-n", n, 1, " (images)");
    try (LoadedRun loaded = LoadedRun.open(run)) {
      System.out.println(new Pictures(run.run, loaded.vae(), loaded.data(), loaded.config().seed())
          .reconstructions(n));
    }
    return 0;
  }
}
