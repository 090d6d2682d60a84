package dev.vae.examples.cli;

import dev.vae.core.plugin.PriorRegistry;
import dev.vae.core.prior.PriorProvider;
import picocli.CommandLine.Command;

/** {@code vae priors}: the priors p(z) installed on the classpath, one line each. */
@Command(name = "priors", mixinStandardHelpOptions = true,
    description = "List the installed priors with a one-line description each.")
final class PriorsCommand implements Runnable {
  @Override
  public void run() {
    for (PriorProvider p : PriorRegistry.discover().providers()) {
      System.out.printf("%-22s %s%n", p.name(), p.description());
    }
  }
}
