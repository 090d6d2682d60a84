package dev.vae.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A data set that is not where the program looked for it. The message lists every place searched,
 * in order, and says how to fetch the data.
 */
public class DataNotFoundException extends RuntimeException {
  private final transient List<Path> searched;

  /**
   * @param message the full explanation, including how to get the data
   * @param searched every directory or file looked at, in order
   */
  public DataNotFoundException(String message, List<Path> searched) {
    super(message);
    this.searched = List.copyOf(searched);
  }

  /** Every directory or file that was looked at, in the order they were tried. */
  public List<Path> searched() {
    return searched;
  }
}
