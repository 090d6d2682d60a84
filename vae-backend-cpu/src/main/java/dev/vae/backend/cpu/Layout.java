package dev.vae.backend.cpu;

import dev.vae.api.backend.Op;
import dev.vae.api.Shape;
import java.util.Arrays;

/**
 * Movement and reduction on row-major Java arrays: strided gathers (permute, slice), broadcasting,
 * row gathers and scatters, casts, and SUM / REDUCE_MAX over any axes. Copies of contiguous runs
 * go through {@link System#arraycopy}, which works on both dtypes' arrays alike.
 */
final class Layout {
  private Layout() {}

  /**
   * z's elements (row-major over {@code out}) read from x at {@code first + Σ index[axis] ·
   * strides[axis]}: a permutation or a slice.
   */
  static void gatherStrided(Object x, int first, int[] strides, Shape out, Object z) {
    int rank = out.rank();
    int rowLength = rank == 0 ? 1 : out.dim(rank - 1);
    int step = rank == 0 ? 1 : strides[rank - 1];
    int rows = rowLength == 0 ? 0 : out.sizeAsInt() / rowLength;
    Parallel.forRange(rows, rowLength, (from, to) -> {
      for (int r = from; r < to; r++) {
        int at = first;
        int rest = r;
        for (int axis = rank - 2; axis >= 0; axis--) {
          at += (rest % out.dim(axis)) * strides[axis];
          rest /= out.dim(axis);
        }
        int zo = r * rowLength;
        if (step == 1) {
          System.arraycopy(x, at, z, zo, rowLength);
        } else if (x instanceof float[] f) {
          float[] zf = (float[]) z;
          for (int i = 0; i < rowLength; i++) zf[zo + i] = f[at + i * step];
        } else {
          double[] xd = (double[]) x;
          double[] zd = (double[]) z;
          for (int i = 0; i < rowLength; i++) zd[zo + i] = xd[at + i * step];
        }
      }
    });
  }

  /** z = x repeated along the axes {@code walk} repeats it over (a broadcast). */
  static void broadcast(BroadcastWalk walk, Object x, Object z) {
    Parallel.forRange(walk.rows(), walk.rowLength(), (from, to) -> broadcastRows(walk, 0, x, z, from, to));
  }

  /** Rows {@code [from, to)} of z from operand k of {@code walk}: copied where contiguous, else filled. */
  static void broadcastRows(BroadcastWalk walk, int k, Object x, Object z, int from, int to) {
    int n = walk.rowLength();
    for (int r = from; r < to; r++) {
      int at = walk.offset(k, r);
      if (walk.contiguous(k)) {
        System.arraycopy(x, at, z, r * n, n);
      } else if (x instanceof float[] f) {
        Arrays.fill((float[]) z, r * n, r * n + n, f[at]);
      } else {
        Arrays.fill((double[]) z, r * n, r * n + n, ((double[]) x)[at]);
      }
    }
  }

  /** Every element of z set to {@code value} (rounded to float for float32). */
  static void fill(Object z, double value) {
    if (z instanceof float[] f) {
      Arrays.fill(f, (float) value);
    } else {
      Arrays.fill((double[]) z, value);
    }
  }

  /** z[i] = x[i] converted to z's dtype (rounded to nearest when narrowing). */
  static void cast(Object x, Object z) {
    if (x.getClass() == z.getClass()) {
      System.arraycopy(x, 0, z, 0, java.lang.reflect.Array.getLength(x));
    } else if (x instanceof float[] f) {
      double[] zd = (double[]) z;
      for (int i = 0; i < f.length; i++) zd[i] = f[i];
    } else {
      double[] xd = (double[]) x;
      float[] zf = (float[]) z;
      for (int i = 0; i < xd.length; i++) zf[i] = (float) xd[i];
    }
  }

  /** z = rows of x at {@code rows}, each {@code rowLength} long. */
  static void gather(Object x, int[] rows, int rowLength, Object z) {
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(x, rows[r] * rowLength, z, r * rowLength, rowLength);
    }
  }

  /** z (zeroed first) with each row i of x added into row {@code indices[i]}. */
  static void scatterAdd(Object x, int[] indices, int rowLength, Object z) {
    if (x instanceof float[] f) {
      float[] zf = (float[]) z;
      Arrays.fill(zf, 0f);
      for (int r = 0; r < indices.length; r++) {
        int zo = indices[r] * rowLength;
        for (int i = 0; i < rowLength; i++) zf[zo + i] += f[r * rowLength + i];
      }
    } else {
      double[] xd = (double[]) x;
      double[] zd = (double[]) z;
      Arrays.fill(zd, 0);
      for (int r = 0; r < indices.length; r++) {
        int zo = indices[r] * rowLength;
        for (int i = 0; i < rowLength; i++) zd[zo + i] += xd[r * rowLength + i];
      }
    }
  }

  /**
   * SUM or REDUCE_MAX of x into {@code accumulator} (in double, of the kept shape's size), walking
   * x with the kept shape repeated over the reduced axes; an empty axis leaves 0 or −∞.
   */
  static void reduce(Op op, BroadcastWalk walk, Object x, double[] accumulator) {
    boolean sum = op == Op.SUM;
    Arrays.fill(accumulator, sum ? 0.0 : Double.NEGATIVE_INFINITY);
    int n = walk.rowLength();
    float[] xf = x instanceof float[] f ? f : null;
    double[] xd = x instanceof double[] d ? d : null;
    for (int r = 0; r < walk.rows(); r++) {
      int xo = walk.offset(0, r);
      int ao = walk.offset(1, r);
      if (walk.contiguous(1)) {
        for (int i = 0; i < n; i++) {
          double v = xf != null ? xf[xo + i] : xd[xo + i];
          accumulator[ao + i] = sum ? accumulator[ao + i] + v : Math.max(accumulator[ao + i], v);
        }
      } else {
        double total = accumulator[ao];
        for (int i = 0; i < n; i++) {
          double v = xf != null ? xf[xo + i] : xd[xo + i];
          total = sum ? total + v : Math.max(total, v);
        }
        accumulator[ao] = total;
      }
    }
  }
}
