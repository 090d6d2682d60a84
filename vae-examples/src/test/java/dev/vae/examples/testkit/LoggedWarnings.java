package dev.vae.examples.testkit;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The warnings the command line's log prints while this is open, for tests of what reaches the
 * user. The log is SLF4J's simple provider, which prints each record as one "LEVEL message" line on
 * whatever {@link System#err} is at the time; this puts a copy of standard error in between (what
 * passes through still reaches the test's own output) and keeps the lines of level WARN.
 */
public final class LoggedWarnings implements AutoCloseable {
  private static final String WARN = "WARN ";

  private final PrintStream original;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  private LoggedWarnings() {
    original = System.err;
    System.setErr(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
  }

  /** Starts collecting the warnings the log prints; one at a time, as standard error is replaced. */
  public static LoggedWarnings capture() {
    return new LoggedWarnings();
  }

  /** The messages of the warnings so far, without their level. */
  public List<String> messages() {
    String text;
    synchronized (copy) {
      text = copy.toString(StandardCharsets.UTF_8);
    }
    return text.lines().filter(l -> l.startsWith(WARN)).map(l -> l.substring(WARN.length())).toList();
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }

  /** Writes to standard error as it was and to the copy. */
  private static final class Tee extends OutputStream {
    private final PrintStream passOn;
    private final ByteArrayOutputStream copy;

    Tee(PrintStream passOn, ByteArrayOutputStream copy) {
      this.passOn = passOn;
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      synchronized (copy) {
        copy.write(b);
      }
      passOn.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (copy) {
        copy.write(b, off, len);
      }
      passOn.write(b, off, len);
    }

    @Override
    public void flush() {
      passOn.flush();
    }
  }
}
