package dev.vae.api.backend;

import dev.vae.api.ConvGeometry;
import dev.vae.api.DType;
import dev.vae.api.Shape;
import java.util.List;
import java.util.Optional;

/**
 * The hardware side of the framework: a small set of primitive array operations (see {@link Op})
 * that a compute backend implements. The autodiff engine, layers, likelihoods and variants are all
 * written on top of it, so a new backend is one class of this interface plus its
 * {@link BackendProvider}, checked by the shared contract suite.
 *
 * <p>Contract shared by every method:
 * <ul>
 *   <li>Inputs are never modified; every result is a new array owned by the innermost open
 *       {@link MemoryScope} of the calling thread.
 *   <li>Operands of one op have one dtype; a mismatch is an {@link IllegalArgumentException}
 *       naming both dtypes. Incompatible shapes are an {@link IllegalArgumentException} naming
 *       both shapes. {@link ShapeRules} computes result shapes and writes those messages.
 *   <li>Elementwise ops follow IEEE semantics: log(0) = -inf, log(-1) = NaN, NaN propagates.
 *       MAX, MIN and REDUCE_MAX propagate NaN (numpy's maximum, not fmax). Comparisons with NaN
 *       give 0; WHERE takes a NaN condition as true. POW follows C99
 *       (pow(1, NaN) = 1, pow(-1, ±inf) = 1, pow(-2, 3) = -8). An op with a scalar is a binary op
 *       against a {@link #full} array of shape [], which rounds the scalar to the dtype first.
 *       sigmoid never overflows; log1p, expm1 and tanh keep
 *       relative accuracy near 0. lgamma is +inf at 0 and the negative integers; digamma(+0) =
 *       -inf and is NaN at the negative integers; trigamma is +inf at 0 and the negative integers.
 *   <li>Cholesky reads only the lower triangle and writes zeros above the diagonal; a triangular
 *       solve reads only the named triangle.
 *   <li>Results are new arrays, also for a reshape or cast that changes nothing.
 * </ul>
 *
 * <p>The reference backend in this module's test-jar defines every case exactly, and the
 * contract suite there holds each backend to it within documented tolerances.
 */
public interface Backend extends AutoCloseable {
  /** The name this backend is selected by, e.g. {@code "cpu"}. */
  String name();

  /** Opens a scope that frees the arrays made on this thread until it closes. */
  MemoryScope openScope();

  /** Arrays made by this backend and not yet freed; leak tests watch it stay flat. */
  long liveArrays();

  // ---- allocation and host transfer

  /** An array holding a copy of {@code data} (row-major), stored in {@code dtype}. */
  NdArray fromHost(double[] data, Shape shape, DType dtype);

  /** An array holding a copy of {@code data} (row-major) in float32. */
  NdArray fromHost(float[] data, Shape shape);

  /** An array of the given shape with every element equal to {@code value}. */
  NdArray full(Shape shape, DType dtype, double value);

  /** The elements, row-major, widened to double. */
  double[] toDoubles(NdArray array);

  /** The elements, row-major, as float (float64 arrays are rounded). */
  float[] toFloats(NdArray array);

  /** The same values in another dtype (rounded to nearest when narrowing). */
  NdArray cast(NdArray x, DType dtype);

  // ---- elementwise

  /** An {@link Op.Kind#UNARY} op applied to every element. */
  NdArray unary(Op op, NdArray x);

  /** A {@link Op.Kind#BINARY} or {@link Op.Kind#COMPARE} op with numpy broadcasting. */
  NdArray binary(Op op, NdArray a, NdArray b);

  /** Elements of {@code a} where {@code condition} is non-zero, else of {@code b}; broadcasting. */
  NdArray where(NdArray condition, NdArray a, NdArray b);

  // ---- reductions

  /**
   * SUM or REDUCE_MAX over the given axes (normalised by {@link Shape#normaliseAxes}; none means
   * all). A sum over an empty axis is 0, a max over one is -inf.
   */
  NdArray reduce(Op op, NdArray x, int[] axes, boolean keepDims);

  // ---- linear algebra

  /**
   * op(a) · op(b) where op transposes the last two axes when asked. Both operands rank 2, or both
   * rank 3 with one batch size.
   */
  NdArray matmul(NdArray a, NdArray b, boolean transposeA, boolean transposeB);

  /**
   * The lower-triangular L with L Lᵀ = a for each matrix in the last two axes.
   *
   * @throws IllegalArgumentException if a matrix is not positive definite, naming its batch index
   */
  NdArray cholesky(NdArray a);

  /**
   * X with op(A) X = B, A triangular (lower or upper) in its last two axes, op transposing when
   * asked; A [..., n, n] and B [..., n, k] with equal leading axes.
   */
  NdArray triangularSolve(NdArray a, NdArray b, boolean lower, boolean transposeA);

  // ---- movement

  /** The same elements, row-major, in a shape of equal size. */
  NdArray reshape(NdArray x, Shape shape);

  /** Axes reordered: result axis i is input axis {@code permutation[i]}. */
  NdArray permute(NdArray x, int[] permutation);

  /** The block {@code [start[i], end[i])} of each axis. */
  NdArray slice(NdArray x, int[] start, int[] end);

  /** Arrays joined along an axis; all other axes equal. */
  NdArray concat(List<NdArray> parts, int axis);

  /** The array repeated along axes of size 1 (and new leading axes) to reach {@code shape}. */
  NdArray broadcastTo(NdArray x, Shape shape);

  /** Rows of axis 0 at the given indices, in order; indices may repeat. */
  NdArray gather(NdArray x, int[] rows);

  /** A zero array of {@code rows} rows with {@code updates[i]} added into row {@code indices[i]}. */
  NdArray scatterAdd(NdArray updates, int[] indices, int rows);

  /** The patches of images x [n, c, h, w] under a window, as rows (see {@link Op#UNFOLD}). */
  NdArray unfold(NdArray x, ConvGeometry window);

  /**
   * Patch rows [n, oh·ow, c·kh·kw] added back into images of the given shape [n, c, h, w], each
   * element into the pixel UNFOLD read it from (see {@link Op#FOLD}); padding's share is dropped.
   */
  NdArray fold(NdArray patches, Shape imageShape, ConvGeometry window);

  // ---- random numbers

  /**
   * Uniform numbers in [0, 1): element i of the stream {@link Philox} defines for
   * {@code (seed, offset + i)}. Every backend returns the same numbers for the same arguments.
   */
  NdArray randomUniform(long seed, long offset, Shape shape, DType dtype);

  /** Standard normal numbers: the Box-Muller transform of {@link Philox}'s stream, as defined there. */
  NdArray randomNormal(long seed, long offset, Shape shape, DType dtype);

  // ---- optional fused kernels

  /**
   * A fused kernel of the given kind if this backend has one; the core falls back to its
   * reference composition otherwise. vae-core's kernel contract suite checks every kernel a backend
   * offers against that composition (and this module's backend contract suite the Adam update).
   */
  default <K extends FusedKernel> Optional<K> fused(Class<K> kind) {
    return Optional.empty();
  }

  /** Releases the backend's own resources (handles, pools). Arrays must not be used afterwards. */
  @Override
  default void close() {}
}
