package dev.vae.backend.cpu;

import dev.vae.api.DType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Freed storage kept for the next result of the same dtype and length. A training step makes the
 * same arrays every time, so after the first step a run takes all its tensor storage from here and
 * the collector sees only small objects (the Java heap stays flat). At most {@link #capacityBytes}
 * are kept; storage beyond that is left to the collector. Safe for use from several threads.
 */
final class ArrayPool {
  /** System property for the pool's capacity in bytes; 0 turns recycling off. */
  static final String CAPACITY_PROPERTY = "vae.cpu.arrayPoolBytes";

  /** The default capacity, 256 MiB: several times what a VAE's training step has live at once. */
  static final long DEFAULT_CAPACITY_BYTES = 256L << 20;

  private static final float[] NO_FLOATS = {};
  private static final double[] NO_DOUBLES = {};

  private final long capacityBytes;
  private final Map<Long, ArrayDeque<Object>> kept = new HashMap<>();
  private long keptBytes;
  private long allocations;

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
          CAPACITY_PROPERTY + "=" + value + ": expected a whole number of bytes (0 turns recycling off)", e);
    }
  }

  /** Storage for {@code length} elements of {@code dtype}, its contents undefined. */
  synchronized Object take(DType dtype, int length) {
    if (length == 0) {
      return dtype == DType.FLOAT32 ? NO_FLOATS : NO_DOUBLES;
    }
    ArrayDeque<Object> arrays = kept.get(key(dtype, length));
    Object storage = arrays == null ? null : arrays.poll();
    if (storage != null) {
      keptBytes -= (long) length * dtype.bytes();
      return storage;
    }
    allocations++;
    return dtype == DType.FLOAT32 ? new float[length] : new double[length];
  }

  /** Keeps freed storage for reuse while the pool has room. */
  synchronized void give(Object storage) {
    DType dtype = storage instanceof float[] ? DType.FLOAT32 : DType.FLOAT64;
    int length = java.lang.reflect.Array.getLength(storage);
    long bytes = (long) length * dtype.bytes();
    if (length > 0 && keptBytes + bytes <= capacityBytes) {
      kept.computeIfAbsent(key(dtype, length), k -> new ArrayDeque<>()).push(storage);
      keptBytes += bytes;
    }
  }

  /** How many times storage had to be allocated because none of its size was kept. */
  synchronized long allocations() {
    return allocations;
  }

  /** Bytes the kept storage holds. */
  synchronized long keptBytes() {
    return keptBytes;
  }

  /** Drops everything kept. */
  synchronized void clear() {
    kept.clear();
    keptBytes = 0;
  }

  private static Long key(DType dtype, int length) {
    return dtype == DType.FLOAT32 ? length : -(long) length;
  }
}
