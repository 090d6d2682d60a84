package dev.vae.examples.testkit;

import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.examples.cli.VaeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One {@code vae} command run in this JVM, as {@code bin/vae} would run it: its exit code, what it
 * printed to standard output (echoed, so test logs show it) and the command line's error output.
 */
public record VaeRun(int exitCode, String out, String err) {
  /** The newest checkpoint of the run directory {@code run}. */
  public static Checkpoint newestCheckpoint(Path run) throws IOException {
    return new CheckpointStore(run.resolve("checkpoints"), 3).loadLatest().orElseThrow();
  }

  /** Runs {@code vae args...}. Standard output is captured for the duration, so run one at a time. */
  public static VaeRun of(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int code;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      code = VaeCommand.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    } finally {
      System.setOut(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    System.err.print(err);
    return new VaeRun(code, text, err.toString());
  }
}
