package dev.vae.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Replaces files so that readers, and a machine that loses power, see either the old content or
 * the complete new one, never a mixture or a part.
 *
 * <p>The recipe: write to a temporary file in the target's directory (named {@code
 * .<target>.<random>.tmp}, see {@link #isTemporary}), flush it and force it to the storage device,
 * rename it over the target with an atomic move, then force the directory so the rename itself
 * survives a crash. If anything fails before the rename, the temporary file is deleted and the
 * previous target is untouched. A process killed mid-write cannot delete its temporary file; the
 * target is still intact, and owners of a directory may sweep leftovers with {@link #isTemporary}.
 *
 * <p>Forcing a directory is not possible everywhere (Windows refuses to open one, some file systems
 * reject the call); there it is skipped, as Lucene and others do.
 */
public final class AtomicFiles {
  private static final System.Logger LOG = System.getLogger(AtomicFiles.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SUFFIX = ".tmp";
  private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
      .startsWith("windows");

  private AtomicFiles() {
  }

  /** Produces a file's content; may throw to abandon the write, leaving the old file as it was. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the content to {@code out} (buffered; closing it is allowed and does not end the
     * write).
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /** Replaces (or creates) {@code target} with what {@code content} writes. */
  public static void write(Path target, Content content) throws IOException {
    Path dir = directoryOf(target);
    Path temp = createTemporary(dir, target.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        content.writeTo(new FilterOutputStream(buffered) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            flush();
          }
        });
        buffered.flush();
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        deleteQuietly(temp);
      }
    }
    fsyncDirectory(dir);
  }

  /** Replaces (or creates) {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Replaces (or creates) {@code target} with {@code text} encoded as UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Forces a directory's entries (names created, renamed or deleted in it) to the storage device.
   * Skipped where the platform does not allow it (the failure is logged at debug level).
   */
  public static void fsyncDirectory(Path dir) {
    if (WINDOWS) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "cannot force directory " + dir + " on this platform; skipped: " + e);
    }
  }

  /**
   * Whether {@code path} is named like a temporary file or directory of this class or of {@link
   * CheckpointStore}: a name that starts with a dot and ends with {@code .tmp}.
   */
  public static boolean isTemporary(Path path) {
    Path name = path.getFileName();
    if (name == null) {
      return false;
    }
    String s = name.toString();
    return s.length() > 1 + SUFFIX.length() && s.startsWith(".") && s.endsWith(SUFFIX);
  }

  /** A fresh name {@code .<base>.<random>.tmp} in {@code dir} (not yet created). */
  static Path temporaryName(Path dir, String base) {
    byte[] r = new byte[6];
    RANDOM.nextBytes(r);
    return dir.resolve("." + base + "." + HexFormat.of().formatHex(r) + SUFFIX);
  }

  private static Path createTemporary(Path dir, String base) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path temp = temporaryName(dir, base);
      try {
        // CREATE_NEW with default attributes: the file gets the process's usual permissions
        // (Files.createTempFile would make it owner-only, and the rename would keep that).
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 8) {
          throw e;
        }
      }
    }
  }

  /** The directory holding {@code file}, absolute. */
  static Path directoryOf(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IllegalArgumentException(file + " names no file in a directory");
    }
    return dir;
  }

  /** Deletes a file or a directory tree if present, logging instead of throwing. */
  static void deleteQuietly(Path path) {
    try {
      deleteRecursively(path);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not delete " + path + ": " + e);
    }
  }

  /** Deletes a file or a directory tree if present. */
  static void deleteRecursively(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (var children = Files.list(path)) {
        for (Path child : (Iterable<Path>) children::iterator) {
          deleteRecursively(child);
        }
      }
    }
    Files.deleteIfExists(path);
  }

  /**
   * Renames {@code file} to {@code <file>.<suffix>}, or {@code -2}, {@code -3}, ... if that name is
   * taken, so that nothing it held is lost when a new one takes its place; returns the new path.
   */
  public static Path setAside(Path file, String suffix) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + "." + suffix);
    for (int n = 2; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
      aside = file.resolveSibling(file.getFileName() + "." + suffix + "-" + n);
    }
    return Files.move(file, aside);
  }
}
