package dev.vae.backend.cuda;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.AbstractNdArray;

/**
 * The CUDA backend's array: a contiguous row-major buffer in device memory, taken from the
 * backend's {@link BufferPool} and given back when the array is freed (by its memory scope or by
 * {@link #close()}). Empty arrays hold no buffer.
 */
final class CudaArray extends AbstractNdArray {
  private final BufferPool pool;
  private final long size;
  private DeviceBuffer buffer;

  CudaArray(Shape shape, DType dtype, BufferPool pool) {
    super(shape, dtype);
    this.pool = pool;
    this.size = shape.size();
    this.buffer = size == 0 ? null : pool.take(size * dtype.bytes());
  }

  /** True if this array was made by the backend that owns {@code pool}. */
  boolean belongsTo(BufferPool other) {
    return pool == other;
  }

  /** Number of elements. */
  long size() {
    return size;
  }

  /** Bytes of the elements (the buffer may be larger). */
  long bytes() {
    return size * dtype().bytes();
  }

  /** The device buffer (null for an empty array); fails if the array was freed. */
  DeviceBuffer buffer() {
    requireOpen();
    return buffer;
  }

  @Override
  protected void release() {
    if (buffer != null) {
      pool.give(buffer);
      buffer = null;
    }
  }
}
