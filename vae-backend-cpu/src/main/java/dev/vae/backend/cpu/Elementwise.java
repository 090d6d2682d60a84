package dev.vae.backend.cpu;

import dev.vae.api.backend.Op;

/**
 * The elementwise ops as loops over Java arrays: one loop per op and dtype, so that C2 vectorises
 * the arithmetic ones, threaded by {@link Parallel}. Float32 arithmetic is done in float (as IEEE
 * float32 rounds each op), float32 functions in double and rounded once. Broadcasting goes through
 * {@link BroadcastWalk}: an operand smaller than the result is first broadcast into a scratch
 * array, so that every loop reads its operands at the index it writes.
 */
final class Elementwise {
  /**
   * Comparisons are computed without a branch, so that they vectorise: the difference of two
   * floats is 0 or at least 2^−149 in magnitude, and twice this factor carries the latter past 1,
   * so min(1, max(0, ±d · spread² (+ 1 for ties))) is the comparison's 0 or 1. Only a NaN operand or
   * ∞ − ∞ gives NaN there; those elements are compared again exactly. 2^600 does the same for
   * doubles (2^−1074).
   */
  private static final float FLOAT_SPREAD = 0x1p127f;
  private static final double DOUBLE_SPREAD = 0x1p600;

  private static final ThreadLocal<Object[]> SCRATCH = ThreadLocal.withInitial(() -> new Object[3]);

  private Elementwise() {}

  /** z = op(x), elementwise; x and z of one dtype and size. */
  static void unary(Op op, Object x, Object z) {
    int n = java.lang.reflect.Array.getLength(z);
    long cost = switch (op) {
      case NEG, ABS, SIGN, SQRT -> 1;
      default -> Parallel.TRANSCENDENTAL;
    };
    Parallel.forRange(n, cost, (from, to) -> {
      if (x instanceof float[] f) {
        unary(op, f, (float[]) z, from, to);
      } else {
        unary(op, (double[]) x, (double[]) z, from, to);
      }
    });
  }

  private static void unary(Op op, float[] x, float[] z, int from, int to) {
    switch (op) {
      case NEG -> { for (int i = from; i < to; i++) z[i] = -x[i]; }
      case ABS -> { for (int i = from; i < to; i++) z[i] = Math.abs(x[i]); }
      case SQRT -> { for (int i = from; i < to; i++) z[i] = (float) Math.sqrt(x[i]); }
      case SIGN -> { for (int i = from; i < to; i++) z[i] = Math.signum(x[i]); }
      case EXP -> { for (int i = from; i < to; i++) z[i] = (float) Math.exp(x[i]); }
      case LOG -> { for (int i = from; i < to; i++) z[i] = (float) Math.log(x[i]); }
      default -> { for (int i = from; i < to; i++) z[i] = (float) function(op, x[i]); }
    }
  }

  private static void unary(Op op, double[] x, double[] z, int from, int to) {
    switch (op) {
      case NEG -> { for (int i = from; i < to; i++) z[i] = -x[i]; }
      case ABS -> { for (int i = from; i < to; i++) z[i] = Math.abs(x[i]); }
      case SQRT -> { for (int i = from; i < to; i++) z[i] = Math.sqrt(x[i]); }
      case SIGN -> { for (int i = from; i < to; i++) z[i] = Math.signum(x[i]); }
      case EXP -> { for (int i = from; i < to; i++) z[i] = Math.exp(x[i]); }
      case LOG -> { for (int i = from; i < to; i++) z[i] = Math.log(x[i]); }
      default -> { for (int i = from; i < to; i++) z[i] = function(op, x[i]); }
    }
  }

  /** One element of a unary op that calls a function, in double. */
  private static double function(Op op, double x) {
    return switch (op) {
      case EXP -> Math.exp(x);
      case LOG -> Math.log(x);
      case LOG1P -> Math.log1p(x);
      case EXPM1 -> Math.expm1(x);
      case TANH -> Math.tanh(x);
      case SIGMOID -> SpecialFunctions.sigmoidFromExp(x, Math.exp(-Math.abs(x)));
      case LGAMMA -> SpecialFunctions.lgamma(x);
      case DIGAMMA -> SpecialFunctions.digamma(x);
      case TRIGAMMA -> SpecialFunctions.trigamma(x);
      default -> throw new IllegalArgumentException("op " + op + " is not a unary op");
    };
  }

  /** z = op(a, b) with a and b broadcast to z's shape by {@code walk}. */
  static void binary(Op op, BroadcastWalk walk, Object a, Object b, Object z) {
    long cost = op == Op.POW ? Parallel.TRANSCENDENTAL : 1;
    int n = walk.rowLength();
    Parallel.forRange(walk.rows(), cost * n, (from, to) -> {
      Object x = aligned(walk, 0, a, z, from, to);
      Object y = aligned(walk, 1, b, z, from, to);
      if (z instanceof float[] f) {
        binary(op, (float[]) x, (float[]) y, f, from * n, to * n);
      } else {
        binary(op, (double[]) x, (double[]) y, (double[]) z, from * n, to * n);
      }
    });
  }

  private static void binary(Op op, float[] a, float[] b, float[] z, int from, int to) {
    switch (op) {
      case ADD -> { for (int i = from; i < to; i++) z[i] = a[i] + b[i]; }
      case SUB -> { for (int i = from; i < to; i++) z[i] = a[i] - b[i]; }
      case MUL -> { for (int i = from; i < to; i++) z[i] = a[i] * b[i]; }
      case DIV -> { for (int i = from; i < to; i++) z[i] = a[i] / b[i]; }
      case MAX -> { for (int i = from; i < to; i++) z[i] = Math.max(a[i], b[i]); }
      case MIN -> { for (int i = from; i < to; i++) z[i] = Math.min(a[i], b[i]); }
      case POW -> { for (int i = from; i < to; i++) z[i] = (float) pow(a[i], b[i]); }
      case EQ, NE -> {
        float equal = op == Op.EQ ? 1f : 0f;
        float sign = op == Op.EQ ? -1f : 1f;
        for (int i = from; i < to; i++) {
          z[i] = equal + sign * Math.min(1f, Math.abs(a[i] - b[i]) * FLOAT_SPREAD * FLOAT_SPREAD);
        }
      }
      default -> order(a, b, z, from, to, op == Op.GT || op == Op.GE ? 1f : -1f,
          op == Op.GE || op == Op.LE ? 1f : 0f);
    }
    if (op.kind() == Op.Kind.COMPARE) {
      for (int i = from; i < to; i++) {
        if (z[i] != z[i]) { // a NaN operand, or ∞ − ∞
          z[i] = compare(op, a[i], b[i]) ? 1f : 0f;
        }
      }
    }
  }

  /** GT, GE, LT or LE without a branch: the sign of ±(a − b), with ties counted when {@code ties} is 1. */
  private static void order(float[] a, float[] b, float[] z, int from, int to, float sign, float ties) {
    for (int i = from; i < to; i++) {
      z[i] = Math.min(1f, Math.max(0f, (a[i] - b[i]) * sign * FLOAT_SPREAD * FLOAT_SPREAD + ties));
    }
  }

  private static void binary(Op op, double[] a, double[] b, double[] z, int from, int to) {
    switch (op) {
      case ADD -> { for (int i = from; i < to; i++) z[i] = a[i] + b[i]; }
      case SUB -> { for (int i = from; i < to; i++) z[i] = a[i] - b[i]; }
      case MUL -> { for (int i = from; i < to; i++) z[i] = a[i] * b[i]; }
      case DIV -> { for (int i = from; i < to; i++) z[i] = a[i] / b[i]; }
      case MAX -> { for (int i = from; i < to; i++) z[i] = Math.max(a[i], b[i]); }
      case MIN -> { for (int i = from; i < to; i++) z[i] = Math.min(a[i], b[i]); }
      case POW -> { for (int i = from; i < to; i++) z[i] = pow(a[i], b[i]); }
      case EQ, NE -> {
        double equal = op == Op.EQ ? 1 : 0;
        double sign = op == Op.EQ ? -1 : 1;
        for (int i = from; i < to; i++) {
          z[i] = equal + sign * Math.min(1, Math.abs(a[i] - b[i]) * DOUBLE_SPREAD * DOUBLE_SPREAD);
        }
      }
      default -> {
        double sign = op == Op.GT || op == Op.GE ? 1 : -1;
        double ties = op == Op.GE || op == Op.LE ? 1 : 0;
        for (int i = from; i < to; i++) {
          z[i] = Math.min(1, Math.max(0, (a[i] - b[i]) * sign * DOUBLE_SPREAD * DOUBLE_SPREAD + ties));
        }
      }
    }
    if (op.kind() == Op.Kind.COMPARE) {
      for (int i = from; i < to; i++) {
        if (z[i] != z[i]) { // a NaN operand, or ∞ − ∞
          z[i] = compare(op, a[i], b[i]) ? 1 : 0;
        }
      }
    }
  }

  /** A comparison, exactly; false with a NaN operand, except NE. */
  private static boolean compare(Op op, double a, double b) {
    return switch (op) {
      case EQ -> a == b;
      case NE -> a != b;
      case LT -> a < b;
      case LE -> a <= b;
      case GT -> a > b;
      default -> a >= b;
    };
  }

  /** C99 pow: {@link Math#pow} except that 1^y = 1 and (−1)^±∞ = 1. */
  private static double pow(double a, double b) {
    return a == 1 || (a == -1 && Double.isInfinite(b)) ? 1 : Math.pow(a, b);
  }

  /** z = c ≠ 0 ? a : b, the three broadcast to z's shape by {@code walk} (a NaN condition is true). */
  static void where(BroadcastWalk walk, Object c, Object a, Object b, Object z) {
    int n = walk.rowLength();
    Parallel.forRange(walk.rows(), n, (from, to) -> {
      Object condition = aligned(walk, 0, c, z, from, to);
      Object x = aligned(walk, 1, a, z, from, to);
      Object y = aligned(walk, 2, b, z, from, to);
      if (z instanceof float[] f) {
        float[] cf = (float[]) condition, xf = (float[]) x, yf = (float[]) y;
        for (int i = from * n; i < to * n; i++) f[i] = cf[i] != 0 ? xf[i] : yf[i];
      } else {
        double[] cd = (double[]) condition, xd = (double[]) x, yd = (double[]) y, zd = (double[]) z;
        for (int i = from * n; i < to * n; i++) zd[i] = cd[i] != 0 ? xd[i] : yd[i];
      }
    });
  }

  /**
   * Operand k as an array indexed like z over output rows {@code [from, to)}: the operand itself
   * when it has z's size (so z's shape and layout), else its elements broadcast into this thread's
   * scratch at z's positions. Loops that read every operand at the index they write vectorise; with
   * an offset between them, C2 cannot rule out overlap and runs them element by element (4× slower).
   */
  private static Object aligned(BroadcastWalk walk, int k, Object operand, Object z, int from, int to) {
    int size = java.lang.reflect.Array.getLength(z);
    if (java.lang.reflect.Array.getLength(operand) == size) {
      return operand;
    }
    Object[] scratch = SCRATCH.get();
    Object row = scratch[k];
    if (row == null || row.getClass() != z.getClass() || java.lang.reflect.Array.getLength(row) < size) {
      row = z instanceof float[] ? new float[size] : new double[size];
      scratch[k] = row;
    }
    Layout.broadcastRows(walk, k, operand, row, from, to);
    return row;
  }
}
