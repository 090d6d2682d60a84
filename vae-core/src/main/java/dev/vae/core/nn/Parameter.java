package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.core.autodiff.Engine;

/**
 * A trainable array that outlives every step: it is owned by no memory scope, exposes one leaf
 * tensor per value (so the forward pass and the gradient request name the same tensor), and is
 * replaced, never mutated, by non-fused optimizers.
 */
public final class Parameter implements AutoCloseable {
  private final String name;
  private final Engine engine;
  private NdArray value;
  private Tensor leaf;

  /** Wraps an array the caller hands over (it must belong to no scope, see MemoryScope#detach). */
  public Parameter(String name, Engine engine, NdArray value) {
    this.name = name;
    this.engine = engine;
    set(value);
  }

  /** A parameter holding a copy of host values, owned by no scope whatever scope is open. */
  public static Parameter fromHost(String name, Engine engine, double[] values, Shape shape, DType dtype) {
    try (MemoryScope scope = engine.scope()) {
      return new Parameter(name, engine, scope.detach(engine.backend().fromHost(values, shape, dtype)));
    }
  }

  public String name() {
    return name;
  }

  public Shape shape() {
    return value.shape();
  }

  /** The current value as a leaf that gradients flow to. */
  public Tensor tensor() {
    return leaf;
  }

  /** The backend array holding the current value. */
  public NdArray array() {
    return value;
  }

  /** Replaces the value with an array this parameter now owns; the previous one is freed. */
  public void replace(NdArray newValue) {
    if (!newValue.shape().equals(value.shape()) || newValue.dtype() != value.dtype()) {
      throw new IllegalArgumentException("parameter " + name + " is " + value.shape() + " " + value.dtype()
          + "; cannot replace it with " + newValue.shape() + " " + newValue.dtype());
    }
    NdArray old = value;
    set(newValue);
    if (old != newValue) {
      old.close();
    }
  }

  private void set(NdArray newValue) {
    value = newValue;
    leaf = engine.variable(newValue);
  }

  /** The value copied to the host. */
  public double[] toDoubles() {
    return engine.backend().toDoubles(value);
  }

  @Override
  public void close() {
    value.close();
  }

  @Override
  public String toString() {
    return "Parameter " + name + " " + value.shape() + " " + value.dtype();
  }
}
