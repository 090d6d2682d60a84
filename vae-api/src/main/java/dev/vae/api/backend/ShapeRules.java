package dev.vae.api.backend;

import dev.vae.api.ConvGeometry;
import dev.vae.api.DType;
import dev.vae.api.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Result shapes of the primitive ops and the checks that guard them, shared by every backend so
 * that each rule, and the message a user sees when it is broken, exists once.
 */
public final class ShapeRules {
  private ShapeRules() {}

  /** Fails naming both dtypes unless they are equal. */
  public static void requireSameDType(Op op, NdArray a, NdArray b) {
    if (a.dtype() != b.dtype()) {
      throw new IllegalArgumentException(op + ": operands have dtypes " + a.dtype() + " and "
          + b.dtype() + " (shapes " + a.shape() + " and " + b.shape() + "); cast one first");
    }
  }

  /** The broadcast shape of a binary op, failing with both shapes and the op named. */
  public static Shape binary(Op op, NdArray a, NdArray b) {
    op.requireKind(Op.Kind.BINARY);
    requireSameDType(op, a, b);
    try {
      return Shape.broadcast(a.shape(), b.shape());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks the operands of {@link FusedKernel.BernoulliLogLikelihood}: targets and logits of one
   * [rows, dims] shape and one dtype; fails naming both shapes and dtypes.
   */
  public static void bernoulliLogLikelihood(NdArray x, NdArray logits) {
    if (logits.shape().rank() != 2 || !x.shape().equals(logits.shape()) || x.dtype() != logits.dtype()) {
      throw new IllegalArgumentException("BERNOULLI_LOG_LIKELIHOOD: expected targets and logits of one [rows, dims]"
          + " shape and dtype, got x " + x.shape() + " " + x.dtype() + " and logits " + logits.shape() + " "
          + logits.dtype());
    }
  }

  /** The broadcast shape of where(condition, a, b). */
  public static Shape where(NdArray condition, NdArray a, NdArray b) {
    requireSameDType(Op.WHERE, a, b);
    requireSameDType(Op.WHERE, condition, a);
    try {
      return Shape.broadcast(condition.shape(), Shape.broadcast(a.shape(), b.shape()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("WHERE: " + e.getMessage(), e);
    }
  }

  /** The result shape of op(a) · op(b). */
  public static Shape matmul(NdArray a, NdArray b, boolean transposeA, boolean transposeB) {
    requireSameDType(Op.MATMUL, a, b);
    Shape sa = a.shape();
    Shape sb = b.shape();
    boolean batched = sa.rank() == 3 && sb.rank() == 3 && sa.dim(0) == sb.dim(0);
    if (!(sa.rank() == 2 && sb.rank() == 2) && !batched) {
      throw new IllegalArgumentException("MATMUL: shapes " + sa + " and " + sb
          + " are not both rank 2, nor both rank 3 with one batch size");
    }
    int m = transposeA ? sa.dim(-1) : sa.dim(-2);
    int ka = transposeA ? sa.dim(-2) : sa.dim(-1);
    int kb = transposeB ? sb.dim(-1) : sb.dim(-2);
    int n = transposeB ? sb.dim(-2) : sb.dim(-1);
    if (ka != kb) {
      throw new IllegalArgumentException("MATMUL: inner sizes differ for shapes " + sa
          + (transposeA ? "ᵀ" : "") + " and " + sb + (transposeB ? "ᵀ" : "") + ": " + ka + " vs " + kb);
    }
    return batched ? Shape.of(sa.dim(0), m, n) : Shape.of(m, n);
  }

  /** Checks a (batch of) square matrices for Cholesky. */
  public static void requireSquare(Op op, NdArray a) {
    Shape s = a.shape();
    if (s.rank() < 2 || s.dim(-1) != s.dim(-2)) {
      throw new IllegalArgumentException(op + ": expected square matrices [..., n, n], got shape " + s);
    }
  }

  /** Checks A [..., n, n] and B [..., n, k] for a triangular solve; returns B's shape. */
  public static Shape triangularSolve(NdArray a, NdArray b) {
    requireSameDType(Op.TRIANGULAR_SOLVE, a, b);
    requireSquare(Op.TRIANGULAR_SOLVE, a);
    Shape sa = a.shape();
    Shape sb = b.shape();
    boolean sameBatch = sa.rank() == sb.rank()
        && Arrays.equals(Arrays.copyOf(sa.dims(), sa.rank() - 2), Arrays.copyOf(sb.dims(), sb.rank() - 2));
    if (!sameBatch || sb.dim(-2) != sa.dim(-1)) {
      throw new IllegalArgumentException("TRIANGULAR_SOLVE: A has shape " + sa + " and B has shape " + sb
          + "; expected A [..., n, n] and B [..., n, k] with equal leading axes");
    }
    return sb;
  }

  /** Checks that a reshape keeps the number of elements. */
  public static void reshape(NdArray x, Shape shape) {
    if (x.shape().size() != shape.size()) {
      throw new IllegalArgumentException("RESHAPE: cannot reshape " + x.shape() + " (" + x.shape().size()
          + " elements) to " + shape + " (" + shape.size() + " elements)");
    }
  }

  /** The shape after permuting axes; the permutation must name each axis once. */
  public static Shape permute(NdArray x, int[] permutation) {
    Shape s = x.shape();
    int[] sorted = permutation.clone();
    Arrays.sort(sorted);
    boolean valid = permutation.length == s.rank();
    for (int i = 0; valid && i < sorted.length; i++) {
      valid = sorted[i] == i;
    }
    if (!valid) {
      throw new IllegalArgumentException("PERMUTE: " + Arrays.toString(permutation)
          + " is not a permutation of the axes of shape " + s);
    }
    int[] out = new int[s.rank()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.dim(permutation[i]);
    }
    return Shape.of(out);
  }

  /** The shape of a slice [start, end) per axis. */
  public static Shape slice(NdArray x, int[] start, int[] end) {
    Shape s = x.shape();
    if (start.length != s.rank() || end.length != s.rank()) {
      throw new IllegalArgumentException("SLICE: start " + Arrays.toString(start) + " and end "
          + Arrays.toString(end) + " must each have one entry per axis of shape " + s);
    }
    int[] out = new int[s.rank()];
    for (int i = 0; i < out.length; i++) {
      if (start[i] < 0 || end[i] > s.dim(i) || start[i] > end[i]) {
        throw new IllegalArgumentException("SLICE: range [" + start[i] + ", " + end[i] + ") of axis " + i
            + " is outside shape " + s);
      }
      out[i] = end[i] - start[i];
    }
    return Shape.of(out);
  }

  /** The shape of parts joined along an axis. */
  public static Shape concat(List<NdArray> parts, int axis) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("CONCAT: no arrays to join");
    }
    Shape first = parts.get(0).shape();
    int ax = first.normaliseAxis(axis);
    int total = 0;
    for (NdArray p : parts) {
      requireSameDType(Op.CONCAT, parts.get(0), p);
      Shape s = p.shape();
      boolean compatible = s.rank() == first.rank();
      for (int i = 0; compatible && i < s.rank(); i++) {
        compatible = i == ax || s.dim(i) == first.dim(i);
      }
      if (!compatible) {
        throw new IllegalArgumentException("CONCAT: shapes " + first + " and " + s
            + " differ outside axis " + ax);
      }
      total += s.dim(ax);
    }
    return first.withDim(ax, total);
  }

  /** Checks that x broadcasts to the target shape. */
  public static void broadcastTo(NdArray x, Shape shape) {
    if (!x.shape().broadcastsTo(shape)) {
      throw new IllegalArgumentException("BROADCAST: shape " + x.shape() + " does not broadcast to " + shape);
    }
  }

  /** The shape of gathered rows; every index must address a row. */
  public static Shape gather(NdArray x, int[] rows) {
    Shape s = x.shape();
    if (s.rank() == 0) {
      throw new IllegalArgumentException("GATHER: cannot take rows of a scalar");
    }
    checkIndices(Op.GATHER, rows, s.dim(0));
    return s.withDim(0, rows.length);
  }

  /** The shape of a scatter-add into {@code rows} rows. */
  public static Shape scatterAdd(NdArray updates, int[] indices, int rows) {
    Shape s = updates.shape();
    if (s.rank() == 0 || s.dim(0) != indices.length) {
      throw new IllegalArgumentException("SCATTER_ADD: updates of shape " + s + " need one index per row, got "
          + indices.length + " indices");
    }
    checkIndices(Op.SCATTER_ADD, indices, rows);
    return s.withDim(0, rows);
  }

  /** The shape of the patches of images x [n, c, h, w] under a window: [n, oh·ow, c·kh·kw]. */
  public static Shape unfold(NdArray x, ConvGeometry window) {
    Shape s = x.shape();
    if (s.rank() != 4) {
      throw new IllegalArgumentException("UNFOLD: images must be [n, c, h, w], got " + s);
    }
    return patches(s, window);
  }

  /** Checks patches against the image shape they fold into; returns that shape. */
  public static Shape fold(NdArray patches, Shape imageShape, ConvGeometry window) {
    if (imageShape.rank() != 4) {
      throw new IllegalArgumentException("FOLD: images must be [n, c, h, w], got " + imageShape);
    }
    Shape expected = patches(imageShape, window);
    if (!patches.shape().equals(expected)) {
      throw new IllegalArgumentException("FOLD: images " + imageShape + " under window " + window + " have patches "
          + expected + ", got " + patches.shape());
    }
    return imageShape;
  }

  private static Shape patches(Shape images, ConvGeometry window) {
    int positions = window.outputHeight(images.dim(2)) * window.outputWidth(images.dim(3));
    return Shape.of(images.dim(0), positions, images.dim(1) * window.taps());
  }

  private static void checkIndices(Op op, int[] indices, int rows) {
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= rows) {
        throw new IllegalArgumentException(op + ": index " + indices[i] + " at position " + i
            + " is outside [0, " + rows + ")");
      }
    }
  }

  /** Checks a host buffer's length against a shape. */
  public static void hostData(int length, Shape shape) {
    if (length != shape.size()) {
      throw new IllegalArgumentException("host data has " + length + " elements but shape " + shape
          + " needs " + shape.size());
    }
  }

  /** Checks a random stream offset (see {@link Philox}): it counts elements drawn, so never negative. */
  public static void requireStreamOffset(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("random stream offset must be non-negative, got " + offset);
    }
  }
}
