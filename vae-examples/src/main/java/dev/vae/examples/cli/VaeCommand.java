package dev.vae.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vae} program: train, evaluate and look at variational autoencoders. */
@Command(name = "vae", mixinStandardHelpOptions = true, version = "vae 0.1.0",
    description = "Variational autoencoders on the JVM.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, SampleCommand.class, ReconstructCommand.class,
        LatentCommand.class, LikelihoodsCommand.class, VariantsCommand.class, CompareCommand.class,
        TraverseCommand.class, CountsCommand.class, SemiSupervisedCommand.class,
        CommandLine.HelpCommand.class})
public final class VaeCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Without a subcommand, {@code vae} trains the default MNIST model. */
  @Override
  public void run() {
    new CommandLine(new TrainCommand()).execute();
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The parser with its error handling: bad options print what is allowed, failures their cause. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new VaeCommand());
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("vae " + line.getCommandName() + ": " + e.getMessage());
      Throwable cause = e.getCause();
      while (cause != null) {
        line.getErr().println("  caused by: " + cause);
        cause = cause.getCause();
      }
      return 1;
    });
    return cli;
  }
}
