package dev.vae.api.backend;

import dev.vae.api.DType;
import dev.vae.api.Shape;

/**
 * A backend's storage for one array: an opaque handle with a shape and a dtype. Users never see it;
 * they work with {@code Tensor}. Arrays are immutable once returned by a backend. Each one is owned
 * by the {@link MemoryScope} open on its thread when it was made (or by whoever made it, when none
 * was open) and freed when that scope closes or {@link #close()} is called.
 */
public interface NdArray extends AutoCloseable {
  Shape shape();

  DType dtype();

  /** True once the storage has been freed; any use after that fails. */
  boolean isClosed();

  /** Frees the storage now. Idempotent. */
  @Override
  void close();
}
