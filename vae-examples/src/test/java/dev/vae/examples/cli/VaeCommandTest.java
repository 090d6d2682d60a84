package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * How the {@code vae} command line reports a failed command, on stand-in subcommands added to the
 * real parser: running out of memory gets one message saying how to give the JVM more heap.
 */
class VaeCommandTest {
  /** What a run printed on the command line's error output, and its exit code. */
  record Result(int exitCode, String err) {}

  @Command(name = "exhausted")
  static final class Exhausted implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Command(name = "exhausted-in-worker")
  static final class ExhaustedInWorker implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("a batch could not be prepared",
          new RuntimeException("worker failed", new OutOfMemoryError("Java heap space")));
    }
  }

  @Command(name = "broken")
  static final class Broken implements Runnable {
    @Override
    public void run() {
      throw new IllegalStateException("cannot write metrics.csv", new IOException("No space left on device"));
    }
  }

  private static Result run(Object subcommand, String name) {
    CommandLine cli = VaeCommand.commandLine().addSubcommand(subcommand);
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    try {
      return new Result(cli.execute(name), err.toString());
    } catch (OutOfMemoryError escaped) {
      // Let through, JUnit would end the whole test JVM; the assertions say what went wrong instead.
      return new Result(-1, err + "[escaped the command line: " + escaped + "]");
    }
  }

  private static void assertOutOfMemoryReported(Result result, String command) {
    long heapMib = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("vae " + command + ": out of memory (java.lang.OutOfMemoryError: Java heap space)")
        .contains("at most " + heapMib + " MiB")
        .contains("about 1 GiB")
        .contains("-Xmx1g")
        .contains("JAVA_OPTS=-Xmx2g bin/vae " + command + " ...")
        .doesNotContain("caused by")
        .doesNotContain("\tat ");
  }

  @Test
  void anOutOfMemoryErrorThrownByACommandSaysHowToGiveTheJvmMoreHeap() {
    assertOutOfMemoryReported(run(new Exhausted(), "exhausted"), "exhausted");
  }

  @Test
  void anOutOfMemoryErrorDeepInTheCausesIsReportedTheSameWay() {
    assertOutOfMemoryReported(run(new ExhaustedInWorker(), "exhausted-in-worker"), "exhausted-in-worker");
  }

  @Test
  void otherFailuresPrintTheirMessageAndCauses() {
    Result result = run(new Broken(), "broken");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("vae broken: cannot write metrics.csv")
        .contains("caused by: java.io.IOException: No space left on device")
        .doesNotContain("out of memory");
  }
}
