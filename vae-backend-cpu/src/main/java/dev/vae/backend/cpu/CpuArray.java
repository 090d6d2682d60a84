package dev.vae.backend.cpu;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.AbstractNdArray;

/**
 * The CPU backend's array: its elements in row-major order in a Java array of exactly its size,
 * {@code float[]} for float32 and {@code double[]} for float64, owned by this array alone. Freeing
 * it hands that storage back to the backend's {@link ArrayPool} for a later result of the same size.
 */
final class CpuArray extends AbstractNdArray {
  private final ArrayPool pool;
  private Object storage;

  CpuArray(Shape shape, DType dtype, Object storage, ArrayPool pool) {
    super(shape, dtype);
    this.storage = storage;
    this.pool = pool;
  }

  /** The elements ({@code float[]} or {@code double[]}), failing once this array is freed. */
  Object storage() {
    requireOpen();
    return storage;
  }

  @Override
  protected void release() {
    pool.give(storage);
    storage = null;
  }
}
