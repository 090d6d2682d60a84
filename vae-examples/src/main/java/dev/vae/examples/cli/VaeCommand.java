package dev.vae.examples.cli;

import com.google.inject.ProvisionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code vae} program: train, evaluate and look at variational autoencoders. */
@Command(name = "vae", mixinStandardHelpOptions = true, version = "vae 0.1.0",
    description = "Variational autoencoders on the JVM.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, SampleCommand.class, ReconstructCommand.class,
        LatentCommand.class, EncodeCommand.class, LikelihoodsCommand.class, VariantsCommand.class,
        NetworksCommand.class, PriorsCommand.class, PosteriorsCommand.class, CompareCommand.class,
        TraverseCommand.class, CountsCommand.class, SemiSupervisedCommand.class, ReportCommand.class, ExportCommand.class, LessonCommand.class,
        CommandLine.HelpCommand.class})
public final class VaeCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  // Read by main before parsing (VaeLogging); declared here so that every command accepts and lists them.
  @Option(names = VaeLogging.VERBOSE_OPTION, scope = ScopeType.INHERIT,
      description = "Log information and debugging detail too: backend choice, checkpoints.")
  boolean verbose;

  @Option(names = VaeLogging.QUIET_OPTION, scope = ScopeType.INHERIT,
      description = "Log only warnings and errors (not even the line naming the backend).")
  boolean quiet;

  /**
   * Without a subcommand, {@code vae} trains the default MNIST model: it runs {@code vae train},
   * whose handlers (set on the whole hierarchy by {@link #commandLine}) report its failures.
   */
  @Override
  public Integer call() {
    return spec.subcommands().get(TrainCommand.COMMAND).execute();
  }

  /**
   * Runs the command line. The log's level is set first, from {@code --verbose} or {@code --quiet},
   * before any logger exists; java.util.logging is routed to SLF4J like everything else.
   */
  public static void main(String[] args) {
    VaeLogging logging;
    try {
      logging = VaeLogging.requestedBy(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("vae: " + e.getMessage());
      System.exit(2);
      return;
    }
    logging.apply();
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(commandLine().execute(args));
  }

  /**
   * The parser with its error handling: bad options print what is allowed, failures their cause,
   * and running out of memory, thrown or anywhere among the causes, one message saying how much
   * heap the JVM had and how to give it more (exit code 1, no stack trace).
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new VaeCommand());
    cli.setExecutionStrategy(VaeCommand::executeReportingOutOfMemory);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      OutOfMemoryError outOfMemory = outOfMemoryAmong(e);
      if (outOfMemory != null) {
        return reportOutOfMemory(line, outOfMemory);
      }
      if (e instanceof ProvisionException && e.getCause() instanceof IllegalArgumentException refused) {
        // A model that its options cannot build, refused while Guice made it: the refusal is the message.
        line.getErr().println("vae " + line.getCommandName() + ": " + refused.getMessage());
        return 1;
      }
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

  /**
   * Runs the parsed command as picocli does by default. Picocli hands only Exceptions to the
   * execution exception handler and lets an Error thrown by a command escape {@code execute}, so an
   * OutOfMemoryError is caught here.
   */
  private static int executeReportingOutOfMemory(CommandLine.ParseResult parsed) {
    try {
      return new CommandLine.RunLast().execute(parsed);
    } catch (OutOfMemoryError e) {
      List<CommandLine> commands = parsed.asCommandLineList();
      return reportOutOfMemory(commands.get(commands.size() - 1), e);
    }
  }

  /** The first OutOfMemoryError in {@code e}'s chain of causes, or null. */
  private static OutOfMemoryError outOfMemoryAmong(Throwable e) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof OutOfMemoryError outOfMemory) {
        return outOfMemory;
      }
    }
    return null;
  }

  private static int reportOutOfMemory(CommandLine line, OutOfMemoryError e) {
    String command = line.getCommandSpec().qualifiedName();
    long heapMib = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    line.getErr().println(command + ": out of memory (" + e + ").\n"
        + "  The JVM's heap could grow to at most " + heapMib + " MiB. Training the default MNIST model needs"
        + " about 1 GiB,\n"
        + "  which bin/vae gives the JVM (-Xmx1g) unless JAVA_OPTS replaces its options.\n"
        + (command.endsWith(" evaluate") ? "  Evaluation decodes --chunk samples of 100 test images at once;"
            + " a smaller --chunk needs less.\n" : "")
        + "  Give it more heap, e.g.: JAVA_OPTS=-Xmx2g bin/" + command + " ...");
    return 1;
  }
}
