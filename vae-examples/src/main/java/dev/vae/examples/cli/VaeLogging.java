package dev.vae.examples.cli;

import java.util.List;
import java.util.Map;

/**
 * How much the command line logs. Everything logs through SLF4J 2, printed by slf4j-simple on
 * standard error: libraries directly, vae-core and the backends through {@link System.Logger},
 * which slf4j-jdk-platform-logging routes to SLF4J. The quiet defaults are in
 * {@code simplelogger.properties}; {@code --verbose} and {@code --quiet} are applied here as
 * slf4j-simple's system properties, which must be set before the first logger is created, so
 * {@link VaeCommand#main} reads them from the arguments before picocli runs anything. A property the
 * user set (e.g. with {@code JAVA_OPTS=-Dorg.slf4j.simpleLogger.log.dev.vae.core=debug}) is kept.
 */
enum VaeLogging {
  /** Warnings and errors only. */
  QUIET(Map.of(
      "org.slf4j.simpleLogger.defaultLogLevel", "warn",
      "org.slf4j.simpleLogger.log.dev.vae.backend.cpu.CpuBackend", "warn",
      "org.slf4j.simpleLogger.log.dev.vae.backend.cuda.CudaBackend", "warn")),
  /** Warnings and errors, and the one line naming the backend (simplelogger.properties). */
  DEFAULT(Map.of()),
  /**
   * Information from every library and debugging detail from ours, each line with its logger's
   * name (the name to give a level of its own).
   */
  VERBOSE(Map.of(
      "org.slf4j.simpleLogger.defaultLogLevel", "info",
      "org.slf4j.simpleLogger.log.dev.vae", "debug",
      "org.slf4j.simpleLogger.log.dev.vae.backend.cpu.CpuBackend", "debug",
      "org.slf4j.simpleLogger.log.dev.vae.backend.cuda.CudaBackend", "debug",
      "org.slf4j.simpleLogger.showLogName", "true"));

  static final String VERBOSE_OPTION = "--verbose";
  static final String QUIET_OPTION = "--quiet";

  private final Map<String, String> properties;

  VaeLogging(Map<String, String> properties) {
    this.properties = properties;
  }

  /**
   * The level the arguments ask for: {@value #VERBOSE_OPTION} or {@value #QUIET_OPTION} anywhere
   * before a {@code --} that ends the options (picocli accepts them before or after the
   * subcommand).
   *
   * @throws IllegalArgumentException if both are given
   */
  static VaeLogging requestedBy(List<String> args) {
    boolean verbose = false;
    boolean quiet = false;
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      verbose |= arg.equals(VERBOSE_OPTION);
      quiet |= arg.equals(QUIET_OPTION);
    }
    if (verbose && quiet) {
      throw new IllegalArgumentException(VERBOSE_OPTION + " and " + QUIET_OPTION + " exclude each other");
    }
    return verbose ? VERBOSE : quiet ? QUIET : DEFAULT;
  }

  /** Sets this level's properties that the user has not set. Takes effect only before the first logger. */
  void apply() {
    properties.forEach((name, value) -> {
      if (System.getProperty(name) == null) {
        System.setProperty(name, value);
      }
    });
  }
}
