package dev.vae.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae latent}: the latent space coloured by digit, and the decoded manifold when d = 2. */
@Command(name = "latent", mixinStandardHelpOptions = true,
    description = "Write latent.png (posterior means coloured by digit; PCA projection when d > 2) and, for d = 2,"
        + " manifold.png.")
final class LatentCommand implements Callable<Integer> {
  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "-n", defaultValue = "2000", description = "Test images in the scatter (default: ${DEFAULT-VALUE}).")
  int n;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("-n", n, 1, " (test images in the scatter)");
    try (LoadedRun loaded = LoadedRun.open(run)) {
      Pictures pictures = new Pictures(run.run, loaded.vae(), loaded.data(), loaded.config().seed());
      System.out.println(pictures.latent(n));
      if (loaded.vae().latentDimension() == 2 && Pictures.drawable(loaded.data())) {
        System.out.println(pictures.manifold(20));
      }
    }
    return 0;
  }
}
