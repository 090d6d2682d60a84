package dev.vae.backend.cpu;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.AbstractNdArray;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CPU backend's array: one ND4J {@link INDArray} in row-major ('c') order that owns its native
 * buffer alone. No other array, ND4J view or backend result shares that buffer, so freeing it in
 * {@link #release()} can never invalidate another array, and a buffer the pool hands out again
 * belongs to one array at a time. Arrays with no elements hold an ND4J empty
 * array, which has no buffer at all.
 */
final class Nd4jArray extends AbstractNdArray {
  private final ArrayPool pool;
  private INDArray array;

  Nd4jArray(Shape shape, DType dtype, INDArray array, ArrayPool pool) {
    super(shape, dtype);
    this.array = array;
    this.pool = pool;
  }

  /** The ND4J array, failing with an {@link IllegalStateException} once this array is freed. */
  INDArray nd() {
    requireOpen();
    return array;
  }

  /**
   * Hands the buffer to the backend's pool, which keeps it for a later result or frees it now,
   * rather than leaving it until the garbage collector finds the INDArray.
   */
  @Override
  protected void release() {
    INDArray a = array;
    array = null;
    if (a != null && !a.isEmpty() && a.closeable()) {
      pool.give(dtype(), shape(), a);
    }
  }
}
