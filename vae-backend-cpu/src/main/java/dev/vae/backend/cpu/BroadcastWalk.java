package dev.vae.backend.cpu;

import dev.vae.api.Shape;

/**
 * Operands broadcast to an output shape (numpy's rules), walked one output row at a time. The
 * output's axes are first collapsed: axes of size 1 are dropped, and neighbours merged where every
 * operand is either full on both or repeated on both. A same-shape operation is then one row, a
 * bias added to a batch one row an example, and every operand is, along a row, either contiguous
 * or one repeated element. Elementwise ops, {@code where}, {@code broadcastTo} and the reductions
 * (which walk their input with the result as the repeated operand) share it.
 */
final class BroadcastWalk {
  private final int[] leading;
  private final int[][] strides;
  private final boolean[] contiguous;
  private final int rows;
  private final int rowLength;

  private BroadcastWalk(int[] dims, boolean[][] full) {
    int axes = dims.length;
    this.leading = java.util.Arrays.copyOf(dims, axes - 1);
    this.rowLength = dims[axes - 1];
    int count = 1;
    for (int d : leading) {
      count *= d;
    }
    this.rows = count;
    this.strides = new int[full.length][axes - 1];
    this.contiguous = new boolean[full.length];
    for (int k = 0; k < full.length; k++) {
      contiguous[k] = full[k][axes - 1];
      int stride = contiguous[k] ? rowLength : 1;
      for (int axis = axes - 2; axis >= 0; axis--) {
        if (full[k][axis]) {
          strides[k][axis] = stride;
          stride *= dims[axis];
        }
      }
    }
  }

  /** The walk of {@code out} for operands of the given shapes, each broadcastable to it. */
  static BroadcastWalk of(Shape out, Shape... operands) {
    int rank = out.rank();
    int[] dims = new int[Math.max(rank, 1)];
    boolean[][] full = new boolean[operands.length][Math.max(rank, 1)];
    int axes = 0;
    for (int axis = 0; axis < rank; axis++) {
      int d = out.dim(axis);
      if (d == 1) {
        continue;
      }
      boolean merges = axes > 0;
      for (int k = 0; k < operands.length; k++) {
        int j = axis - (rank - operands[k].rank());
        boolean isFull = j >= 0 && operands[k].dim(j) == d;
        merges &= full[k][axes - (axes > 0 ? 1 : 0)] == isFull;
        full[k][axes] = isFull;
      }
      if (merges) {
        dims[axes - 1] *= d;
      } else {
        dims[axes++] = d;
      }
    }
    if (axes == 0) {
      dims[axes++] = 1;
      for (boolean[] f : full) {
        f[0] = true;
      }
    }
    boolean[][] used = new boolean[operands.length][];
    for (int k = 0; k < operands.length; k++) {
      used[k] = java.util.Arrays.copyOf(full[k], axes);
    }
    return new BroadcastWalk(java.util.Arrays.copyOf(dims, axes), used);
  }

  /** Rows of the output. */
  int rows() {
    return rows;
  }

  /** Elements of an output row. */
  int rowLength() {
    return rowLength;
  }

  /** Whether operand {@code k} is contiguous along a row (else it repeats one element there). */
  boolean contiguous(int k) {
    return contiguous[k];
  }

  /** The position in operand {@code k}'s storage of its first element in output row {@code row}. */
  int offset(int k, int row) {
    int offset = 0;
    int[] s = strides[k];
    for (int axis = leading.length - 1; axis >= 0 && row > 0; axis--) {
      int d = leading[axis];
      offset += (row % d) * s[axis];
      row /= d;
    }
    return offset;
  }
}
