package dev.vae.backend.cpu;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Freed result arrays kept for the next result of the same dtype and shape. A training step makes
 * the same hundred-odd arrays every time, and ND4J takes 14–40 µs to create one (its buffer,
 * shape information and garbage-collection bookkeeping; malloc alone takes under a microsecond),
 * while taking one back from here takes well under one (BENCHMARKS.md, "Arithmetic on the host").
 *
 * <p>Only whole, c-ordered arrays of at most {@link #MAX_ARRAY_BYTES} are kept, and no more than
 * {@link #capacityBytes} in all: an array beyond that is freed at once, as before, so large arrays
 * still return their memory as soon as their scope closes. {@link #clear()} frees everything kept.
 * Safe for use from several threads.
 */
final class ArrayPool {
  /** The largest array kept, 8 MiB: ten times a VAE's largest weight matrix. */
  static final long MAX_ARRAY_BYTES = 8L << 20;

  /** System property for the pool's capacity in bytes; 0 turns pooling off. */
  static final String CAPACITY_PROPERTY = "vae.cpu.arrayPoolBytes";

  /** The default capacity, 128 MiB: several times what a VAE's training step has live at once. */
  static final long DEFAULT_CAPACITY_BYTES = 128L << 20;

  private final long capacityBytes;
  private final Map<Key, ArrayDeque<INDArray>> kept = new HashMap<>();
  private long keptBytes;

  ArrayPool(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("array pool capacity " + capacityBytes + ": expected at least 0 bytes");
    }
    this.capacityBytes = capacityBytes;
  }

  /** A pool of the capacity {@link #CAPACITY_PROPERTY} gives, else {@link #DEFAULT_CAPACITY_BYTES}. */
  static ArrayPool fromSystemProperty() {
    String value = System.getProperty(CAPACITY_PROPERTY);
    if (value == null) {
      return new ArrayPool(DEFAULT_CAPACITY_BYTES);
    }
    try {
      return new ArrayPool(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          CAPACITY_PROPERTY + "=" + value + ": expected a whole number of bytes (0 turns pooling off)", e);
    }
  }

  /** A kept array of this dtype and shape, its contents undefined, or null when none is kept. */
  synchronized INDArray take(DType dtype, Shape shape) {
    ArrayDeque<INDArray> arrays = kept.get(new Key(dtype, shape));
    INDArray array = arrays == null ? null : arrays.poll();
    if (array != null) {
      keptBytes -= bytes(array);
    }
    return array;
  }

  /**
   * Keeps a freed array of the backend's for reuse, or frees it now when it is not a whole
   * c-ordered array, is too large, or the pool is full.
   */
  void give(DType dtype, Shape shape, INDArray array) {
    if (!keep(dtype, shape, array)) {
      array.close();
    }
  }

  private synchronized boolean keep(DType dtype, Shape shape, INDArray array) {
    long bytes = bytes(array);
    if (bytes == 0 || bytes > MAX_ARRAY_BYTES || keptBytes + bytes > capacityBytes
        || !whole(array, dtype, shape)) {
      return false;
    }
    kept.computeIfAbsent(new Key(dtype, shape), key -> new ArrayDeque<>()).push(array);
    keptBytes += bytes;
    return true;
  }

  /** Bytes the kept arrays hold. */
  synchronized long keptBytes() {
    return keptBytes;
  }

  /** Frees every kept array. */
  synchronized void clear() {
    kept.values().forEach(arrays -> arrays.forEach(INDArray::close));
    kept.clear();
    keptBytes = 0;
  }

  /**
   * An array of exactly this dtype and shape that owns its whole buffer, in row-major order from
   * its first element: what a later result of that dtype and shape may be written into.
   */
  private static boolean whole(INDArray array, DType dtype, Shape shape) {
    return array.closeable() && !array.isView() && array.ordering() == 'c' && array.offset() == 0
        && array.data().length() == array.length() && array.dataType() == CpuBackend.nd4jType(dtype)
        && Arrays.equals(array.shape(), CpuBackend.longs(shape));
  }

  private static long bytes(INDArray array) {
    return array.isEmpty() ? 0 : array.length() * array.dataType().width();
  }

  private record Key(DType dtype, Shape shape) {}
}
