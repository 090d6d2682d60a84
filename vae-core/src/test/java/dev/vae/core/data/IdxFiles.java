package dev.vae.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files, well-formed or not, for reader tests. */
final class IdxFiles {
  private IdxFiles() {}

  /** Magic, the big-endian sizes, then the data bytes. */
  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  /** count images of h × w pixels; pixel p of image i is (i * 31 + p) mod 256. */
  static byte[] images(int count, int h, int w) {
    byte[] data = new byte[count * h * w];
    for (int i = 0; i < count; i++) {
      for (int p = 0; p < h * w; p++) {
        data[i * h * w + p] = (byte) ((i * 31 + p) % 256);
      }
    }
    return idx(IdxReader.IMAGES_MAGIC, new int[] {count, h, w}, data);
  }

  /** count labels, label i = i mod 10. */
  static byte[] labels(int count) {
    byte[] data = new byte[count];
    for (int i = 0; i < count; i++) {
      data[i] = (byte) (i % 10);
    }
    return idx(IdxReader.LABELS_MAGIC, new int[] {count}, data);
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes the four MNIST files with small counts into dir, plain or gzipped (with .gz names). */
  static void writeMnist(Path dir, int train, int test, boolean gzipped) {
    String suffix = gzipped ? ".gz" : "";
    write(dir.resolve("train-images-idx3-ubyte" + suffix), maybeGzip(images(train, 28, 28), gzipped));
    write(dir.resolve("train-labels-idx1-ubyte" + suffix), maybeGzip(labels(train), gzipped));
    write(dir.resolve("t10k-images-idx3-ubyte" + suffix), maybeGzip(images(test, 28, 28), gzipped));
    write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), maybeGzip(labels(test), gzipped));
  }

  private static byte[] maybeGzip(byte[] plain, boolean gzipped) {
    return gzipped ? gzip(plain) : plain;
  }
}
