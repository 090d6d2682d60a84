package dev.vae.backend.cpu;

import dev.vae.api.backend.Op;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * float32 ADD, SUB, MUL and DIV, and MAX and MIN with a scalar, as host loops that C2 vectorises.
 * libnd4j's arithmetic is a custom op whose call costs about 30 µs whatever the size (35–40 µs for
 * two [128, 20] arrays, 83 µs for two [128, 400]), while a host pass over a chunk copied into a
 * scratch array takes a few microseconds for the first and 20–30 for the second (BENCHMARKS.md,
 * "Arithmetic on the host"). Each result element is one IEEE operation in float, as libnd4j's.
 *
 * <p>Array operands are handled in the three layouts a step produces: an operand with as many
 * elements as the result (the same shape, up to leading ones); one row that repeats over the
 * result's rows (a bias: its only dimension of more than one element is the result's last); or one
 * value per row, repeated along it (a per-example weight: the result's shape with a last dimension
 * of 1). Other broadcasts are left to libnd4j.
 */
final class HostArithmetic {
  /** The scratch array a column operand's values pass through; the ops use slots 0 to 2. */
  private static final int COLUMN_SLOT = 3;

  private HostArithmetic() {}

  /** Whether {@link #binary} computes {@code op}: ADD, SUB, MUL or DIV. */
  private static boolean handles(Op op) {
    return op == Op.ADD || op == Op.SUB || op == Op.MUL || op == Op.DIV;
  }

  /**
   * z = x op y for a float32 op that {@link #handles} and operands in one of the three layouts;
   * returns false, with z untouched, for anything else.
   */
  static boolean binary(Op op, INDArray x, INDArray y, INDArray z) {
    if (!handles(op) || z.dataType() != DataType.FLOAT || z.length() == 0) {
      return false;
    }
    int rowLength = z.rank() == 0 ? 1 : (int) z.size(-1);
    Operand a = Operand.of(x, z, rowLength);
    Operand b = Operand.of(y, z, rowLength);
    if (a == null || b == null) {
      return false;
    }
    FloatBuffer out = z.data().asNioFloat();
    int rows = (int) (z.length() / rowLength);
    HostKernels.forEachRowChunk(rows, rowLength, (firstRow, chunkRows) -> {
      int from = firstRow * rowLength;
      int n = chunkRows * rowLength;
      float[] p = a.chunk(from, n, 0);
      float[] q = b.chunk(from, n, 1);
      float[] r = HostKernels.scratch(2, n);
      for (int row = 0; row < chunkRows; row++) {
        rowOp(op, p, a.offset(row), q, b.offset(row), r, row * rowLength, rowLength);
      }
      out.put(from, r, 0, n);
    });
    return true;
  }

  /** r[ro + j] = p[po + j] op q[qo + j] for j in [0, n). */
  private static void rowOp(Op op, float[] p, int po, float[] q, int qo, float[] r, int ro, int n) {
    switch (op) {
      case ADD -> {
        for (int j = 0; j < n; j++) {
          r[ro + j] = p[po + j] + q[qo + j];
        }
      }
      case SUB -> {
        for (int j = 0; j < n; j++) {
          r[ro + j] = p[po + j] - q[qo + j];
        }
      }
      case MUL -> {
        for (int j = 0; j < n; j++) {
          r[ro + j] = p[po + j] * q[qo + j];
        }
      }
      case DIV -> {
        for (int j = 0; j < n; j++) {
          r[ro + j] = p[po + j] / q[qo + j];
        }
      }
      default -> throw new IllegalArgumentException("op " + op + " is not host arithmetic");
    }
  }

  /**
   * z = x op s, or s op x when {@code scalarFirst}, for a float32 x and an op that {@link #handles}
   * or MAX or MIN (Java's, which propagate NaN and order −0 below +0, as the backend contract asks);
   * returns false, with z untouched, for other dtypes and ops. {@code s} is already rounded to float.
   */
  static boolean withScalar(Op op, INDArray x, double s, boolean scalarFirst, INDArray z) {
    if (x.dataType() != DataType.FLOAT || !(handles(op) || op == Op.MAX || op == Op.MIN)) {
      return false;
    }
    float f = (float) s;
    HostKernels.mapChunks(x, z, (v, n) -> {
      switch (op) {
        case ADD -> {
          for (int i = 0; i < n; i++) {
            v[i] = v[i] + f;
          }
        }
        case MUL -> {
          for (int i = 0; i < n; i++) {
            v[i] = v[i] * f;
          }
        }
        case SUB -> {
          if (scalarFirst) {
            for (int i = 0; i < n; i++) {
              v[i] = f - v[i];
            }
          } else {
            for (int i = 0; i < n; i++) {
              v[i] = v[i] - f;
            }
          }
        }
        case DIV -> {
          if (scalarFirst) {
            for (int i = 0; i < n; i++) {
              v[i] = f / v[i];
            }
          } else {
            for (int i = 0; i < n; i++) {
              v[i] = v[i] / f;
            }
          }
        }
        case MAX -> {
          for (int i = 0; i < n; i++) {
            v[i] = Math.max(v[i], f);
          }
        }
        case MIN -> {
          for (int i = 0; i < n; i++) {
            v[i] = Math.min(v[i], f);
          }
        }
        default -> throw new IllegalArgumentException("op " + op + " is not host arithmetic with a scalar");
      }
    });
    return true;
  }

  /** How an operand's elements lie against the result's rows. */
  private enum Layout {
    /** The result's own elements. */
    FULL,
    /** One row, repeated over the result's rows. */
    ROW,
    /** One value per row of the result, repeated along it. */
    COLUMN
  }

  /** One operand: its buffer, its layout and the result's row length. */
  private record Operand(FloatBuffer values, Layout layout, int rowLength) {
    /** x in one of the three layouts against result z, or null. */
    static Operand of(INDArray x, INDArray z, int rowLength) {
      if (x.dataType() != DataType.FLOAT) {
        return null;
      }
      Layout layout;
      if (x.length() == z.length()) {
        layout = Layout.FULL;
      } else if (x.length() == rowLength && x.rank() >= 1 && x.size(-1) == rowLength) {
        layout = Layout.ROW;
      } else if (x.length() * rowLength == z.length() && x.rank() >= 1 && x.size(-1) == 1) {
        layout = Layout.COLUMN;
      } else {
        return null;
      }
      return new Operand(x.data().asNioFloat(), layout, rowLength);
    }

    /**
     * Elements {@code [from, from + n)} of the result's layout (whole rows) as this operand gives
     * them, in scratch {@code slot}: a row operand gives its one row, {@link #offset} finds the rest.
     */
    float[] chunk(int from, int n, int slot) {
      return switch (layout) {
        case FULL -> HostKernels.scratchRange(values, from, n, slot);
        case ROW -> HostKernels.scratchRange(values, 0, rowLength, slot);
        case COLUMN -> {
          int rows = n / rowLength;
          float[] column = HostKernels.scratchRange(values, from / rowLength, rows, COLUMN_SLOT);
          float[] out = HostKernels.scratch(slot, n);
          for (int r = 0; r < rows; r++) {
            Arrays.fill(out, r * rowLength, (r + 1) * rowLength, column[r]);
          }
          yield out;
        }
      };
    }

    /** Where row {@code row} of a chunk starts in {@link #chunk}'s array. */
    int offset(int row) {
      return layout == Layout.ROW ? 0 : row * rowLength;
    }
  }
}
