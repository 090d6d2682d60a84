package dev.vae.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vae report}: the run's self-contained HTML page ({@link RunReport}). */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write report.html into the run directory: configuration, per-epoch metrics, latent diagnostics, "
        + "warnings, evaluation results and every picture, in one self-contained page.")
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--run", defaultValue = "runs/mnist", description = "Run directory (default: ${DEFAULT-VALUE}).")
  Path run;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(run)) {
      throw new IllegalArgumentException("--run " + run + ": " + (Files.exists(run) ? "not a directory"
          : "no such run directory") + "; expected the directory of a run of `vae train` or `vae semi-supervised`");
    }
    System.out.println("report: " + new RunReport(run).write());
    return 0;
  }
}
