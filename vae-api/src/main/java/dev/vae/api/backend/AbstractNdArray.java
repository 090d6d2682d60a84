package dev.vae.api.backend;

import dev.vae.api.DType;
import dev.vae.api.Shape;

/**
 * Bookkeeping every backend's array shares: shape, dtype, the scope that owns it and a close that
 * runs once. Backends extend it and implement {@link #release()} to free their storage.
 */
public abstract class AbstractNdArray implements NdArray {
  private final Shape shape;
  private final DType dtype;
  ScopeStack.Frame owner;
  ScopeStack tracker;
  private boolean closed;

  protected AbstractNdArray(Shape shape, DType dtype) {
    this.shape = shape;
    this.dtype = dtype;
  }

  @Override
  public final Shape shape() {
    return shape;
  }

  @Override
  public final DType dtype() {
    return dtype;
  }

  @Override
  public final boolean isClosed() {
    return closed;
  }

  @Override
  public final void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (owner != null) {
      owner.forget(this);
      owner = null;
    }
    if (tracker != null) {
      tracker.released();
    }
    release();
  }

  /** Throws a clear error if this array was already freed. */
  public final void requireOpen() {
    if (closed) {
      throw new IllegalStateException("array " + shape + " " + dtype
          + " was already freed (its memory scope closed, or it was closed explicitly)");
    }
  }

  /** Frees the backend storage; called exactly once. */
  protected abstract void release();

  @Override
  public String toString() {
    return getClass().getSimpleName() + shape + " " + dtype + (closed ? " (freed)" : "");
  }
}
