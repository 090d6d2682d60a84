package dev.vae.api;

import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.Op;

/**
 * An immutable, differentiable array: what users, likelihoods and variants write their math with.
 * Each method returns a new tensor and, when any input requires a gradient, records how it was
 * made so the core's reverse-mode autodiff can differentiate through it.
 *
 * <p>The abstract methods map one-to-one onto backend primitives ({@link Op}); the default methods
 * compose them in numerically stable form (softplus, log-sigmoid, log-sum-exp, ...) and so get
 * their gradients for free. Binary ops broadcast like numpy; operands must share a dtype.
 */
public interface Tensor {
  Shape shape();

  DType dtype();

  /** Where this tensor lives; makes constants and random draws on the same backend. */
  TensorFactory factory();

  /** True if gradients flow back through this tensor. */
  boolean requiresGrad();

  /** The same values with no gradient history (a stop-gradient). */
  Tensor detach();

  // ---- primitives

  /** An elementwise {@link Op.Kind#UNARY} primitive. */
  Tensor unary(Op op);

  /** A broadcasting {@link Op.Kind#BINARY} or {@link Op.Kind#COMPARE} primitive {@code op(this, other)}. */
  Tensor binary(Op op, Tensor other);

  /** {@code op(this, scalar)}, or {@code op(scalar, this)} when {@code scalarFirst}. */
  Tensor binary(Op op, double scalar, boolean scalarFirst);

  /** Elements of {@code ifTrue} where this (the condition) is non-zero, else of {@code ifFalse}. */
  Tensor where(Tensor ifTrue, Tensor ifFalse);

  /** Sum over axes (none means all), optionally keeping reduced axes with size 1. */
  Tensor sum(boolean keepDims, int... axes);

  /** Maximum over axes (none means all). Its gradient goes to every position holding the maximum. */
  Tensor max(boolean keepDims, int... axes);

  /** op(this) · op(other), transposing the last two axes when asked; rank 2, or rank 3 batched. */
  Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther);

  Tensor reshape(Shape shape);

  Tensor permute(int... permutation);

  /** The block [start[i], end[i]) of every axis. */
  Tensor slice(int[] start, int[] end);

  Tensor broadcastTo(Shape shape);

  /** Rows (axis 0) at the given indices. */
  Tensor gatherRows(int... rows);

  /**
   * The patches of images [n, c, h, w] under a window, one row per window position: [n, oh·ow,
   * c·kh·kw] (im2col, {@link Op#UNFOLD}). {@link Convolutions} builds convolutions and pooling on it.
   */
  Tensor unfold(ConvGeometry window);

  /** The adjoint of {@link #unfold}: patch rows summed back into images of the given shape (col2im). */
  Tensor fold(Shape imageShape, ConvGeometry window);

  Tensor cast(DType dtype);

  /** Lower Cholesky factor of each symmetric positive-definite matrix in the last two axes. */
  Tensor cholesky();

  /** X with op(this) X = b, this triangular in its last two axes. */
  Tensor triangularSolve(Tensor b, boolean lower, boolean transposeThis);

  /** The elements, row-major, copied to the host as doubles. */
  double[] toDoubles();

  /** The elements, row-major, copied to the host as floats. */
  float[] toFloats();

  // ---- conveniences over the primitives

  default int rank() {
    return shape().rank();
  }

  default int dim(int axis) {
    return shape().dim(axis);
  }

  /** The single value of a one-element tensor. */
  default double item() {
    if (shape().size() != 1) {
      throw new IllegalArgumentException("item() needs a one-element tensor, got shape " + shape());
    }
    return toDoubles()[0];
  }

  /** A constant of this tensor's dtype and backend. */
  default Tensor full(Shape shape, double value) {
    return factory().full(shape, dtype(), value);
  }

  default Tensor fullLike(double value) {
    return full(shape(), value);
  }

  default Tensor neg() {
    return unary(Op.NEG);
  }

  default Tensor exp() {
    return unary(Op.EXP);
  }

  default Tensor log() {
    return unary(Op.LOG);
  }

  default Tensor log1p() {
    return unary(Op.LOG1P);
  }

  default Tensor expm1() {
    return unary(Op.EXPM1);
  }

  default Tensor sqrt() {
    return unary(Op.SQRT);
  }

  default Tensor tanh() {
    return unary(Op.TANH);
  }

  default Tensor sigmoid() {
    return unary(Op.SIGMOID);
  }

  default Tensor abs() {
    return unary(Op.ABS);
  }

  default Tensor sign() {
    return unary(Op.SIGN);
  }

  default Tensor lgamma() {
    return unary(Op.LGAMMA);
  }

  default Tensor digamma() {
    return unary(Op.DIGAMMA);
  }

  default Tensor add(Tensor other) {
    return binary(Op.ADD, other);
  }

  default Tensor sub(Tensor other) {
    return binary(Op.SUB, other);
  }

  default Tensor mul(Tensor other) {
    return binary(Op.MUL, other);
  }

  default Tensor div(Tensor other) {
    return binary(Op.DIV, other);
  }

  default Tensor pow(Tensor other) {
    return binary(Op.POW, other);
  }

  default Tensor maximum(Tensor other) {
    return binary(Op.MAX, other);
  }

  default Tensor minimum(Tensor other) {
    return binary(Op.MIN, other);
  }

  default Tensor add(double s) {
    return binary(Op.ADD, s, false);
  }

  default Tensor sub(double s) {
    return binary(Op.SUB, s, false);
  }

  /** {@code s - this}. */
  default Tensor rsub(double s) {
    return binary(Op.SUB, s, true);
  }

  default Tensor mul(double s) {
    return binary(Op.MUL, s, false);
  }

  default Tensor div(double s) {
    return binary(Op.DIV, s, false);
  }

  /** {@code s / this}. */
  default Tensor rdiv(double s) {
    return binary(Op.DIV, s, true);
  }

  default Tensor pow(double s) {
    return binary(Op.POW, s, false);
  }

  default Tensor maximum(double s) {
    return binary(Op.MAX, s, false);
  }

  default Tensor minimum(double s) {
    return binary(Op.MIN, s, false);
  }

  default Tensor lt(Tensor other) {
    return binary(Op.LT, other);
  }

  /** {@code this > other}, composed as {@code other < this}. */
  default Tensor gt(Tensor other) {
    return other.binary(Op.LT, this);
  }

  default Tensor lt(double s) {
    return binary(Op.LT, s, false);
  }

  default Tensor le(double s) {
    return binary(Op.LE, s, false);
  }

  /** {@code this > s}, composed as {@code s < this}. */
  default Tensor gt(double s) {
    return binary(Op.LT, s, true);
  }

  /** {@code this >= s}, composed as {@code s <= this}. */
  default Tensor ge(double s) {
    return binary(Op.LE, s, true);
  }

  default Tensor square() {
    return mul(this);
  }

  default Tensor reciprocal() {
    return rdiv(1.0);
  }

  /** Sum over the given axes (none means all), dropping them. */
  default Tensor sum(int... axes) {
    return sum(false, axes);
  }

  /** Mean over the given axes (none means all). */
  default Tensor mean(boolean keepDims, int... axes) {
    int[] normalised = shape().normaliseAxes(axes);
    long count = 1;
    for (int a : normalised) {
      count *= shape().dim(a);
    }
    return sum(keepDims, normalised).div(count);
  }

  default Tensor mean(int... axes) {
    return mean(false, axes);
  }

  default Tensor matmul(Tensor other) {
    return matmul(other, false, false);
  }

  default Tensor reshape(int... dims) {
    return reshape(Shape.of(dims));
  }

  /** Swaps the last two axes. */
  default Tensor transpose() {
    int[] perm = new int[rank()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    perm[rank() - 1] = rank() - 2;
    perm[rank() - 2] = rank() - 1;
    return permute(perm);
  }

  /** The range [from, to) of one axis, every other axis whole. */
  default Tensor slice(int axis, int from, int to) {
    int ax = shape().normaliseAxis(axis);
    int[] start = new int[rank()];
    int[] end = shape().dims();
    start[ax] = from;
    end[ax] = to;
    return slice(start, end);
  }

  /** 1 where this is finite, else 0 (NaN and ±infinity). */
  default Tensor isFinite() {
    return abs().lt(Double.POSITIVE_INFINITY);
  }

  // ---- numerically stable composites

  /**
   * log(1 + exp(x)), accurate for every x: the fused kernel {@link FusedKernel.Softplus}, run by the
   * backend where it has one, else composed from primitives (see {@link TensorFactory#kernel}).
   */
  default Tensor softplus() {
    return factory().kernel(FusedKernel.Softplus.class, this);
  }

  /** log(sigmoid(x)) = -softplus(-x), accurate for every x. */
  default Tensor logSigmoid() {
    return neg().softplus().neg();
  }

  /**
   * log(sum(exp(x))) over axes, shifted by the (gradient-free) maximum so nothing overflows; an
   * all -infinity slice gives -infinity.
   */
  default Tensor logSumExp(boolean keepDims, int... axes) {
    Tensor max = max(true, axes).detach();
    Tensor shift = max.isFinite().where(max, max.fullLike(0.0));
    Tensor result = sub(shift).exp().sum(true, axes).log().add(shift);
    return keepDims ? result : result.reshape(shape().reduce(shape().normaliseAxes(axes), false));
  }
}
