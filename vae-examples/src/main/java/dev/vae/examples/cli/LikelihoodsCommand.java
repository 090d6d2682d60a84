package dev.vae.examples.cli;

import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.core.plugin.LikelihoodRegistry;
import picocli.CommandLine.Command;

/** {@code vae likelihoods}: the likelihoods installed on the classpath, one line each. */
@Command(name = "likelihoods", mixinStandardHelpOptions = true,
    description = "List the installed likelihoods with a one-line description each.")
final class LikelihoodsCommand implements Runnable {
  @Override
  public void run() {
    for (LikelihoodProvider p : LikelihoodRegistry.discover().providers()) {
      System.out.printf("%-22s %s%n", p.name(), p.description());
    }
  }
}
