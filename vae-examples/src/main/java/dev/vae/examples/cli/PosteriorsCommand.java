package dev.vae.examples.cli;

import dev.vae.core.plugin.PosteriorRegistry;
import dev.vae.core.posterior.PosteriorProvider;
import picocli.CommandLine.Command;

/** {@code vae posteriors}: the posterior families q(z|x) installed on the classpath, one line each. */
@Command(name = "posteriors", mixinStandardHelpOptions = true,
    description = "List the installed posteriors with a one-line description each.")
final class PosteriorsCommand implements Runnable {
  @Override
  public void run() {
    for (PosteriorProvider p : PosteriorRegistry.discover().providers()) {
      System.out.printf("%-22s %s%n", p.name(), p.description());
    }
  }
}
