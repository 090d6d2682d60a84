package dev.vae.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that exists and could be read but whose content is not what its format requires
 * (truncated, inconsistent header, checksum mismatch, ...). The message names the file and the
 * problem; {@link #file()} and {@link #problem()} give them separately.
 */
public class CorruptFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /** A corrupt {@code file}; {@code problem} says what is wrong, in words a user can act on. */
  public CorruptFileException(Path file, String problem) {
    this(file, problem, null);
  }

  /** As {@link #CorruptFileException(Path, String)}, keeping the lower-level cause. */
  public CorruptFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file that is corrupt. */
  public Path file() {
    return file;
  }

  /** What is wrong with it, without the file name. */
  public String problem() {
    return problem;
  }
}
