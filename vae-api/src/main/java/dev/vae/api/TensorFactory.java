package dev.vae.api;

import dev.vae.api.backend.FusedKernel;
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

  /**
   * A fused kernel applied to {@code inputs}, in the order each kernel's documentation in
   * {@link FusedKernel} gives for this call (for the Bernoulli log-likelihood: the logits, then the
   * targets): the backend's implementation where it has one and the inputs fit it, else the
   * kernel's reference composition of primitives, which the core keeps beside every kernel;
   * differentiable either way. How a plugin reaches a kernel, e.g.
   * {@code kernel(FusedKernel.BernoulliLogLikelihood.class, logits, x)}.
   *
   * @throws IllegalArgumentException for a kernel the core has no composition of, or inputs of the
   *     wrong number or shape
   */
  Tensor kernel(Class<? extends FusedKernel> kind, Tensor... inputs);
}
