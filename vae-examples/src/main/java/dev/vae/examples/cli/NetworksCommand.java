package dev.vae.examples.cli;

import dev.vae.core.nn.NetworkProvider;
import dev.vae.core.plugin.NetworkRegistry;
import picocli.CommandLine.Command;

/** {@code vae networks}: the encoder and decoder networks installed on the classpath, one line each. */
@Command(name = "networks", mixinStandardHelpOptions = true,
    description = "List the installed network families with a one-line description each.")
final class NetworksCommand implements Runnable {
  @Override
  public void run() {
    for (NetworkProvider p : NetworkRegistry.discover().providers()) {
      System.out.printf("%-22s %s%n", p.name(), p.description());
    }
  }
}
