package dev.vae.core.kernel;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;

/**
 * One input of a kernel contract case, kept on the host: its values, shape and whether gradients
 * are checked with respect to it.
 */
public record KernelInput(double[] values, Shape shape, boolean differentiable) {
  /** Checks that the values fill the shape and keeps a copy. */
  public KernelInput {
    if (values.length != shape.size()) {
      throw new IllegalArgumentException(values.length + " values for shape " + shape);
    }
    values = values.clone();
  }

  /** The input on an engine in {@code dtype}: a leaf that requires gradients when it is differentiable. */
  public Tensor on(Engine engine, DType dtype) {
    Tensor constant = engine.fromHost(values, shape, dtype);
    return differentiable ? engine.variable(engine.arrayOf(constant)) : constant;
  }
}
