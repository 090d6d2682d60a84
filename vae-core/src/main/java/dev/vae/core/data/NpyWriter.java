package dev.vae.core.data;

import dev.vae.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes NumPy {@code .npy} files (format version 1.0, C order, little-endian): float64 matrices
 * and int64 vectors, atomically (a crash leaves the old file or none, never half of one).
 */
public final class NpyWriter {
  private NpyWriter() {}

  /** rows [n][d] as a float64 array [n, d]; every row must have d values. */
  public static void write(Path file, double[][] rows, int d) throws IOException {
    ByteBuffer data = ByteBuffer.allocate(rows.length * d * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (double[] row : rows) {
      if (row.length != d) {
        throw new IllegalArgumentException("a row of " + row.length + " values in a matrix of " + d + " columns");
      }
      for (double v : row) {
        data.putDouble(v);
      }
    }
    AtomicFiles.write(file, concat(header("<f8", rows.length, d), data.array()));
  }

  /** values as an int64 array [n]. */
  public static void write(Path file, int[] values) throws IOException {
    ByteBuffer data = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      data.putLong(v);
    }
    AtomicFiles.write(file, concat(header("<i8", values.length), data.array()));
  }

  /** The magic, version 1.0, and the header dict padded with spaces so the data start at a multiple of 64. */
  private static byte[] header(String descr, int... shape) {
    String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "")
        + "), }";
    int unpadded = 10 + dict.length() + 1;
    String text = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer out = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length());
    out.put(text.getBytes(StandardCharsets.ISO_8859_1));
    return out.array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
