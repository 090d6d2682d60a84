package dev.vae.backend.cuda;

import dev.vae.api.Shape;
import java.util.Arrays;

/**
 * A reduction as the kernels see it ({@code struct ReduceLayout} in {@code common.cuh}): outputs
 * run row-major over the kept axes, each reducing the elements of the reduced axes, both groups
 * with their input strides and merged where contiguous. No data moves before the kernel runs.
 */
final class ReduceLayout {
  private final long[] keptDims;
  private final long[] keptStrides;
  private final long[] reducedDims;
  private final long[] reducedStrides;

  private ReduceLayout(long[] keptDims, long[] keptStrides, long[] reducedDims, long[] reducedStrides) {
    this.keptDims = keptDims;
    this.keptStrides = keptStrides;
    this.reducedDims = reducedDims;
    this.reducedStrides = reducedStrides;
  }

  /** The layout reducing a contiguous array of {@code shape} over normalised, sorted axes. */
  static ReduceLayout of(Shape shape, int[] normalisedAxes) {
    boolean[] reduced = new boolean[shape.rank()];
    for (int axis : normalisedAxes) {
      reduced[axis] = true;
    }
    long[] strides = Layout.contiguousStrides(shape);
    int keptCount = shape.rank() - normalisedAxes.length;
    long[] kd = new long[keptCount];
    long[] ks = new long[keptCount];
    long[] rd = new long[normalisedAxes.length];
    long[] rs = new long[normalisedAxes.length];
    int k = 0;
    int r = 0;
    for (int axis = 0; axis < shape.rank(); axis++) {
      if (reduced[axis]) {
        rd[r] = shape.dim(axis);
        rs[r++] = strides[axis];
      } else {
        kd[k] = shape.dim(axis);
        ks[k++] = strides[axis];
      }
    }
    long[][] kept = Layout.merge(kd, ks);
    long[][] red = Layout.merge(rd, rs);
    if (kept[0].length > KernelAbi.MAX_RANK || red[0].length > KernelAbi.MAX_RANK) {
      throw new IllegalArgumentException("the CUDA backend reduces over at most " + KernelAbi.MAX_RANK
          + " kept and " + KernelAbi.MAX_RANK + " reduced axes that cannot be merged; shape " + shape
          + " reduced over " + Arrays.toString(normalisedAxes) + " has more");
    }
    return new ReduceLayout(kept[0], kept[1], red[0], red[1]);
  }

  int keptRank() {
    return keptDims.length;
  }

  int reducedRank() {
    return reducedDims.length;
  }

  /** Number of outputs (1 for a full reduction, 0 if a kept axis is empty). */
  long outputs() {
    return product(keptDims);
  }

  /** Elements each output reduces (0 if a reduced axis is empty). */
  long count() {
    return product(reducedDims);
  }

  /**
   * True when one block of {@link KernelAbi#REDUCE_BLOCK} threads should reduce each output;
   * otherwise one thread per output is enough.
   */
  boolean blockPerOutput() {
    return count() >= KernelAbi.REDUCE_BLOCK;
  }

  /** kept dims, kept strides, reduced dims, reduced strides, each padded to MAX_RANK words. */
  long[] packed() {
    long[] words = new long[KernelAbi.LAYOUT_WORDS];
    int m = KernelAbi.MAX_RANK;
    System.arraycopy(keptDims, 0, words, 0, keptDims.length);
    System.arraycopy(keptStrides, 0, words, m, keptStrides.length);
    System.arraycopy(reducedDims, 0, words, 2 * m, reducedDims.length);
    System.arraycopy(reducedStrides, 0, words, 3 * m, reducedStrides.length);
    return words;
  }

  /** The input offset of element r of output o, as the kernels compute it. */
  long inputOffset(long output, long r) {
    return Layout.stridedOffset(output, keptDims, keptStrides) + Layout.stridedOffset(r, reducedDims, reducedStrides);
  }

  private static long product(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  @Override
  public String toString() {
    return "ReduceLayout kept " + Arrays.toString(keptDims) + " " + Arrays.toString(keptStrides) + ", reduced "
        + Arrays.toString(reducedDims) + " " + Arrays.toString(reducedStrides);
  }
}
