package dev.vae.api;

import java.util.List;

/**
 * Makes tensors on one backend: constants, host data and random draws. Every {@link Tensor} knows
 * its factory, so plugin code can make constants of the same dtype and backend as its inputs.
 */
public interface TensorFactory {
  /** A constant tensor (no gradient) with every element equal to {@code value}. */
  Tensor full(Shape shape, DType dtype, double value);

  /** A constant tensor holding a copy of host data, stored in {@code dtype}. */
  Tensor fromHost(double[] data, Shape shape, DType dtype);

  /** A float32 constant tensor holding a copy of host data. */
  Tensor fromHost(float[] data, Shape shape);

  /** Uniform numbers in [0, 1) drawn from {@code rng}, which advances. */
  Tensor uniform(Rng rng, Shape shape, DType dtype);

  /** Standard normal numbers drawn from {@code rng}, which advances. */
  Tensor normal(Rng rng, Shape shape, DType dtype);

  /** Tensors joined along an axis; all other axes must match. */
  Tensor concat(List<Tensor> parts, int axis);
}
