package dev.vae.core.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one class's logger receives while this is open (through java.util.logging, where
 * {@code System.Logger} goes when no other logging system is on the classpath), for tests of what
 * a class tells its user. Close it to stop listening.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new ArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    logger.addHandler(this);
  }

  /** Starts capturing what the logger of {@code type} receives. */
  public static LogCapture of(Class<?> type) {
    return new LogCapture(Logger.getLogger(type.getName()));
  }

  /** Every record so far, as "LEVEL message". */
  public synchronized List<String> lines() {
    return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
  }

  /** The messages of the warnings so far. */
  public synchronized List<String> warnings() {
    return records.stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage).toList();
  }

  /** Forgets what was captured so far. */
  public synchronized void clear() {
    records.clear();
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
