package dev.vae.core.data;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A data file that cannot be read as what it claims to be: the message names the file, where in
 * it the problem is (line and column for text files) and what was expected and found.
 */
public class DataFormatException extends RuntimeException {
  private final transient Path file;
  private final long line;
  private final String column;
  private final String problem;

  /** A problem with the whole file or its binary layout. */
  public DataFormatException(Path file, String problem) {
    this(file, -1, null, problem, null);
  }

  /** A problem with the whole file, caused by a lower-level failure (e.g. a corrupt gzip stream). */
  public DataFormatException(Path file, String problem, Throwable cause) {
    this(file, -1, null, problem, cause);
  }

  /**
   * A problem at one place in a text file.
   *
   * @param line 1-based line number, or -1 when not tied to a line
   * @param column the column's name, or null when not tied to a column
   */
  public DataFormatException(Path file, long line, String column, String problem) {
    this(file, line, column, problem, null);
  }

  private DataFormatException(Path file, long line, String column, String problem, Throwable cause) {
    super(format(file, line, column, problem), cause);
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  private static String format(Path file, long line, String column, String problem) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "<no file>" : file.toString());
    if (line >= 0) {
      sb.append(", line ").append(line);
    }
    if (column != null) {
      sb.append(", column '").append(column).append('\'');
    }
    return sb.append(": ").append(problem).toString();
  }

  /** The file at fault, when there is one. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The 1-based line at fault, for text files. */
  public OptionalLong line() {
    return line >= 0 ? OptionalLong.of(line) : OptionalLong.empty();
  }

  /** The name of the column at fault, for tables. */
  public Optional<String> column() {
    return Optional.ofNullable(column);
  }

  /** What was wrong, without the location. */
  public String problem() {
    return problem;
  }
}
