package dev.vae.examples.cli;

import dev.vae.api.variant.VariantProvider;
import dev.vae.core.plugin.VariantRegistry;
import picocli.CommandLine.Command;

/** {@code vae variants}: the variants installed on the classpath, one line each. */
@Command(name = "variants", mixinStandardHelpOptions = true,
    description = "List the installed variants with a one-line description each.")
final class VariantsCommand implements Runnable {
  @Override
  public void run() {
    for (VariantProvider p : VariantRegistry.discover().providers()) {
      System.out.printf("%-22s %s%n", p.name(), p.description());
    }
  }
}
