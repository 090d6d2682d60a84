package dev.vae.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files MNIST is distributed in (LeCun et al.): a 4-byte big-endian magic number
 * {@code 0x0000TTDD} (TT the element type, 0x08 for unsigned bytes; DD the number of
 * dimensions), then DD big-endian 32-bit sizes, then the elements row-major. Labels are
 * {@code 0x00000801} (one dimension: count), images {@code 0x00000803} (count, rows, columns).
 *
 * <p>A file may be plain or gzip-compressed; gzip is recognised by its first two bytes (1f 8b),
 * whatever the file is called. Every way a file can be wrong is reported as a {@link
 * DataFormatException} that names the file and what was expected and found; failures to read the
 * file at all (missing, unreadable) are {@link UncheckedIOException}s.
 */
public final class IdxReader {
  /** The magic number of an IDX file of unsigned bytes with one dimension (labels). */
  public static final int LABELS_MAGIC = 0x00000801;
  /** The magic number of an IDX file of unsigned bytes with three dimensions (images). */
  public static final int IMAGES_MAGIC = 0x00000803;

  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /**
   * Reads an image file into a data set of {@code count} examples with {@code rows × columns}
   * features each, pixels scaled from 0..255 to [0, 1], named after the file.
   */
  public static DataSet readImages(Path file) {
    Content c = read(file, IMAGES_MAGIC);
    int count = c.dims[0];
    int height = c.dims[1];
    int width = c.dims[2];
    if (height == 0 || width == 0) {
      throw new DataFormatException(
          file, "images must have positive sides, the header says " + height + "x" + width);
    }
    float[] pixels = new float[c.data.length];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (c.data[i] & 0xFF) / 255f;
    }
    DataSet images = DataSet.wrap(file.getFileName().toString(), pixels, height * width);
    if (images.size() != count) {
      throw new AssertionError("read " + images.size() + " images, the header declares " + count);
    }
    return images.withImageShape(height, width);
  }

  /** Reads a label file: one value 0..255 per example. */
  public static int[] readLabels(Path file) {
    Content c = read(file, LABELS_MAGIC);
    int[] labels = new int[c.data.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = c.data[i] & 0xFF;
    }
    return labels;
  }

  /** Whether the file starts with the gzip magic bytes 1f 8b. */
  public static boolean isGzip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      return isGzipHeader(head);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean isGzipHeader(byte[] head) {
    return head.length == 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
  }

  private record Content(int[] dims, byte[] data) {}

  private static Content read(Path file, int expectedMagic) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      byte[] head = raw.readNBytes(2);
      raw.reset();
      if (head.length == 0) {
        throw new DataFormatException(file, "empty file (0 bytes); expected an IDX file");
      }
      boolean gzip = isGzipHeader(head);
      try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
        return parse(file, in, expectedMagic, gzip ? " (after gzip decompression)" : "");
      } catch (EOFException | ZipException e) {
        throw new DataFormatException(
            file, "corrupt or truncated gzip data: " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Content parse(Path file, InputStream in, int expectedMagic, String where)
      throws IOException {
    byte[] magicBytes = in.readNBytes(4);
    if (magicBytes.length == 0) {
      throw new DataFormatException(file, "empty file" + where + "; expected an IDX file");
    }
    if (magicBytes.length < 4) {
      throw new DataFormatException(
          file, "truncated header" + where + ": expected a 4-byte magic number, found "
              + magicBytes.length + " bytes");
    }
    int magic = bigEndian(magicBytes, 0);
    int expectedDims = expectedMagic & 0xFF;
    if ((magic >>> 8) != UNSIGNED_BYTE) {
      throw new DataFormatException(
          file, "bad magic number" + where + ": expected " + hex(expectedMagic) + ", found "
              + hex(magic) + " (not an IDX file of unsigned bytes)");
    }
    int dims = magic & 0xFF;
    if (dims != expectedDims) {
      throw new DataFormatException(
          file, "wrong number of dimensions: expected " + expectedDims + " (magic "
              + hex(expectedMagic) + "), found " + dims + " (magic " + hex(magic) + ")");
    }
    byte[] sizeBytes = in.readNBytes(4 * dims);
    if (sizeBytes.length < 4 * dims) {
      throw new DataFormatException(
          file, "truncated header" + where + ": expected " + (4 + 4 * dims) + " bytes, found "
              + (4 + sizeBytes.length));
    }
    int[] sizes = new int[dims];
    long total = 1;
    StringBuilder declared = new StringBuilder();
    for (int d = 0; d < dims; d++) {
      long size = bigEndian(sizeBytes, 4 * d) & 0xFFFFFFFFL;
      if (size > Integer.MAX_VALUE) {
        throw new DataFormatException(file, "dimension " + d + " is " + size + ", too large to read");
      }
      sizes[d] = (int) size;
      total *= size;
      if (total > Integer.MAX_VALUE - 16) {
        throw new DataFormatException(
            file, "the header declares more elements than one array can hold (dimensions so far: "
                + declared + size + ")");
      }
      declared.append(size).append(d + 1 < dims ? " x " : "");
    }
    int expected = (int) total;
    byte[] data = in.readNBytes(expected);
    if (data.length < expected) {
      throw new DataFormatException(
          file, "truncated data" + where + ": the header declares " + declared + " = " + expected
              + " bytes after the " + (4 + 4 * dims) + "-byte header, found " + data.length);
    }
    if (in.read() != -1) {
      long extra = 1 + in.transferTo(OutputStream.nullOutputStream());
      throw new DataFormatException(
          file, "trailing data" + where + ": the header declares " + declared + " = " + expected
              + " bytes after the header, found " + extra + " more");
    }
    return new Content(sizes, data);
  }

  private static int bigEndian(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  static String hex(int value) {
    return String.format("0x%08X", value);
  }
}
