package dev.vae.examples.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The warnings one logger receives while this is open, for tests of what reaches the user's log. */
public final class LoggedWarnings extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<String> messages = new ArrayList<>();

  private LoggedWarnings(Logger logger) {
    this.logger = logger;
    logger.addHandler(this);
  }

  /** Starts collecting the warnings of the logger of {@code type}. */
  public static LoggedWarnings of(Class<?> type) {
    return new LoggedWarnings(Logger.getLogger(type.getName()));
  }

  /** The messages of the warnings so far. */
  public synchronized List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
      messages.add(record.getMessage());
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
