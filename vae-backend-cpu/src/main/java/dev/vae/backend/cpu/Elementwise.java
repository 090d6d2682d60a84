package dev.vae.backend.cpu;

import dev.vae.api.backend.Op;

/**
 * The elementwise ops as loops over Java arrays, threaded by {@link Parallel}. Float32, the
 * training dtype, has one loop per op that C2 vectorises: arithmetic in float (as IEEE float32
 * rounds each op), functions in double, rounded once. Float64 (gradient checks, evaluation) goes
 * through one switch per element. Broadcasting goes through {@link BroadcastWalk}: an operand
 * smaller than the result is first broadcast into a scratch array, so that every loop reads its
 * operands at the index it writes (with an offset between them, C2 cannot rule out that they
 * overlap and runs the loop element by element, 4× slower).
 */
final class Elementwise {
  private Elementwise() {}

  /** z = op(x), elementwise; x and z of one dtype and size. */
  static void unary(Op op, Object x, Object z) {
    long cost = switch (op) {
      case NEG, ABS, SIGN, SQRT -> 1;
      default -> Parallel.TRANSCENDENTAL;
    };
    Parallel.forRange(java.lang.reflect.Array.getLength(z), cost, (from, to) -> {
      if (x instanceof double[] d) {
        double[] zd = (double[]) z;
        for (int i = from; i < to; i++) zd[i] = function(op, d[i]);
        return;
      }
      float[] f = (float[]) x;
      float[] zf = (float[]) z;
      switch (op) {
        case NEG -> { for (int i = from; i < to; i++) zf[i] = -f[i]; }
        case ABS -> { for (int i = from; i < to; i++) zf[i] = Math.abs(f[i]); }
        case SQRT -> { for (int i = from; i < to; i++) zf[i] = (float) Math.sqrt(f[i]); }
        case SIGN -> { for (int i = from; i < to; i++) zf[i] = Math.signum(f[i]); }
        case EXP -> { for (int i = from; i < to; i++) zf[i] = (float) Math.exp(f[i]); }
        default -> { for (int i = from; i < to; i++) zf[i] = (float) function(op, f[i]); }
      }
    });
  }

  /** One element of a unary op, in double. */
  private static double function(Op op, double x) {
    return switch (op) {
      case NEG -> -x;
      case ABS -> Math.abs(x);
      case SQRT -> Math.sqrt(x);
      case SIGN -> Math.signum(x);
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
    sharedOver(walk, new Object[] {a, b}, z, op == Op.POW ? Parallel.TRANSCENDENTAL : 1, (in, from, to) -> {
      if (z instanceof double[] zd) {
        double[] x = (double[]) in[0];
        double[] y = (double[]) in[1];
        for (int i = from; i < to; i++) zd[i] = binary(op, x[i], y[i]);
      } else {
        binary(op, (float[]) in[0], (float[]) in[1], (float[]) z, from, to);
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
      case POW -> { for (int i = from; i < to; i++) z[i] = (float) binary(op, a[i], b[i]); }
      case EQ -> equal(a, b, z, from, to);
      case LT -> less(a, b, z, from, to);
      case LE -> atMost(a, b, z, from, to);
      default -> throw new IllegalArgumentException("op " + op + " is not a binary op");
    }
    if (op.kind() == Op.Kind.COMPARE) {
      for (int i = from; i < to; i++) {
        if (z[i] != z[i]) { // a NaN operand, or ∞ − ∞
          z[i] = (float) binary(op, a[i], b[i]);
        }
      }
    }
  }

  // Comparisons without a branch, so that they vectorise (SpecialFunctions.isPositive), each loop in
  // a method of its own so that C2 inlines that call; only a NaN operand or ∞ − ∞ gives NaN there,
  // and those elements are compared again exactly afterwards.

  private static void equal(float[] a, float[] b, float[] z, int from, int to) {
    for (int i = from; i < to; i++) z[i] = 1f - SpecialFunctions.isPositive(Math.abs(a[i] - b[i]));
  }

  private static void less(float[] a, float[] b, float[] z, int from, int to) {
    for (int i = from; i < to; i++) z[i] = SpecialFunctions.isPositive(b[i] - a[i]);
  }

  private static void atMost(float[] a, float[] b, float[] z, int from, int to) {
    for (int i = from; i < to; i++) z[i] = 1f - SpecialFunctions.isPositive(a[i] - b[i]);
  }

  /** One element of a binary or comparison op, in double; C99's pow (1^y = 1, (−1)^±∞ = 1). */
  private static double binary(Op op, double a, double b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
      case MAX -> Math.max(a, b);
      case MIN -> Math.min(a, b);
      case POW -> a == 1 || (a == -1 && Double.isInfinite(b)) ? 1 : Math.pow(a, b);
      case EQ -> a == b ? 1 : 0;
      case LT -> a < b ? 1 : 0;
      case LE -> a <= b ? 1 : 0;
      default -> throw new IllegalArgumentException("op " + op + " is not a binary op");
    };
  }

  /** z = c ≠ 0 ? a : b, the three broadcast to z's shape by {@code walk} (a NaN condition is true). */
  static void where(BroadcastWalk walk, Object c, Object a, Object b, Object z) {
    sharedOver(walk, new Object[] {c, a, b}, z, 1, (in, from, to) -> {
      if (z instanceof float[] f) {
        float[] cf = (float[]) in[0], xf = (float[]) in[1], yf = (float[]) in[2];
        for (int i = from; i < to; i++) f[i] = cf[i] != 0 ? xf[i] : yf[i];
      } else {
        double[] cd = (double[]) in[0], xd = (double[]) in[1], yd = (double[]) in[2], zd = (double[]) z;
        for (int i = from; i < to; i++) zd[i] = cd[i] != 0 ? xd[i] : yd[i];
      }
    });
  }

  /** A loop over z's elements {@code [from, to)}, its operands indexed like z. */
  private interface AlignedLoop {
    void run(Object[] operands, int from, int to);
  }

  /**
   * Runs {@code loop} over all of z, shared by {@link Parallel}: by rows, each chunk broadcasting
   * its own rows of the smaller operands, when there are enough of them; else (a same-shape op, or
   * one with a scalar, is a single row) the operands are aligned once and the elements shared.
   */
  private static void sharedOver(BroadcastWalk walk, Object[] operands, Object z, long cost, AlignedLoop loop) {
    int n = walk.rowLength();
    int rows = walk.rows();
    if (rows >= 2 * Parallel.threads()) {
      Parallel.forRange(rows, cost * n, (from, to) -> loop.run(aligned(walk, operands, z, from, to), from * n, to * n));
    } else {
      Object[] in = aligned(walk, operands, z, 0, rows);
      Parallel.forRange(rows * n, cost, (from, to) -> loop.run(in, from, to));
    }
  }

  /** Every operand, aligned ({@link #aligned(BroadcastWalk, int, Object, Object, int, int)}) over rows [from, to). */
  private static Object[] aligned(BroadcastWalk walk, Object[] operands, Object z, int from, int to) {
    Object[] in = new Object[operands.length];
    for (int k = 0; k < in.length; k++) {
      in[k] = aligned(walk, k, operands[k], z, from, to);
    }
    return in;
  }

  /**
   * Operand k as an array indexed like z over output rows {@code [from, to)}: the operand itself
   * when it has z's size (so z's shape and layout), else its elements broadcast into this thread's
   * scratch at z's positions.
   */
  private static Object aligned(BroadcastWalk walk, int k, Object operand, Object z, int from, int to) {
    int size = java.lang.reflect.Array.getLength(z);
    if (java.lang.reflect.Array.getLength(operand) == size) {
      return operand;
    }
    Object scratch = Scratch.array(Scratch.OPERANDS + k, z, size);
    Layout.broadcastRows(walk, k, operand, scratch, from, to);
    return scratch;
  }
}
