package dev.vae.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint written in a newer version of the checkpoint format than this program reads. Unlike
 * a {@link CorruptFileException}, it is not skipped: the run belongs to a newer vae, and resuming
 * from an older checkpoint, or replacing this one, would silently lose its work. The message names
 * the file and both versions and says what to do.
 */
public final class NewerFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long version;
  private final int supported;

  /** {@code file} records format {@code version}, newer than the {@code supported} one. */
  public NewerFormatException(Path file, long version, int supported) {
    super(file + " was written in checkpoint format version " + version + " by a newer vae; this program reads "
        + "version " + supported + ": upgrade vae to resume this run, or start a new run in another directory");
    this.file = file;
    this.version = version;
    this.supported = supported;
  }

  /** The file that records the newer version. */
  public Path file() {
    return file;
  }

  /** The version the file records. */
  public long version() {
    return version;
  }

  /** The newest version this program reads. */
  public int supported() {
    return supported;
  }
}
