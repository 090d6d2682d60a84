package dev.vae.backend.cpu;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import java.util.Random;

/** Plain-Java index arithmetic and random inputs the CPU backend's tests compare against. */
final class HostReference {
  private HostReference() {}

  /** For each row-major element of {@code out}, the index numpy broadcasting reads from {@code in}. */
  static int[] broadcastIndices(Shape in, Shape out) {
    int[] inStrides = in.strides();
    int offset = out.rank() - in.rank();
    int[] result = new int[out.sizeAsInt()];
    int[] dims = out.dims();
    int[] counter = new int[dims.length];
    for (int i = 0; i < result.length; i++) {
      int source = 0;
      for (int axis = 0; axis < in.rank(); axis++) {
        if (in.dim(axis) != 1) {
          source += counter[axis + offset] * inStrides[axis];
        }
      }
      result[i] = source;
      for (int axis = dims.length - 1; axis >= 0; axis--) {
        if (++counter[axis] < dims[axis]) {
          break;
        }
        counter[axis] = 0;
      }
    }
    return result;
  }

  /** Row-major multi-index of a flat position. */
  static int[] multiIndex(Shape shape, int flat) {
    int[] index = new int[shape.rank()];
    int[] strides = shape.strides();
    for (int axis = 0; axis < index.length; axis++) {
      index[axis] = strides[axis] == 0 ? 0 : flat / strides[axis];
      flat -= index[axis] * strides[axis];
    }
    return index;
  }

  /** Flat position of a multi-index. */
  static int flat(Shape shape, int[] index) {
    int[] strides = shape.strides();
    int f = 0;
    for (int axis = 0; axis < index.length; axis++) {
      f += index[axis] * strides[axis];
    }
    return f;
  }

  /** Random values in [lo, hi), rounded to the dtype. */
  static double[] uniform(Random random, int n, double lo, double hi, DType dtype) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = round(lo + (hi - lo) * random.nextDouble(), dtype);
    }
    return out;
  }

  static double round(double value, DType dtype) {
    return dtype == DType.FLOAT32 ? (float) value : value;
  }

  /** Relative-plus-absolute closeness, NaN matching NaN and infinities matching exactly. */
  static boolean close(double actual, double expected, double rtol, double atol) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual);
    }
    if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
      return actual == expected;
    }
    return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
  }

  /** One element of a binary or compare op in float64, as the backend contract defines it. */
  static double binary(dev.vae.api.backend.Op op, double a, double b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
      case POW -> a == 1 || (a == -1 && Double.isInfinite(b)) ? 1 : Math.pow(a, b);
      case MAX -> Math.max(a, b);
      case MIN -> Math.min(a, b);
      case EQ -> a == b ? 1 : 0;
      case NE -> a != b ? 1 : 0;
      case LT -> a < b ? 1 : 0;
      case LE -> a <= b ? 1 : 0;
      case GT -> a > b ? 1 : 0;
      case GE -> a >= b ? 1 : 0;
      default -> throw new IllegalArgumentException(op + " is not a binary op");
    };
  }

  /** One element of a unary op in float64, as the backend contract defines it. */
  static double unary(dev.vae.api.backend.Op op, double x) {
    return switch (op) {
      case NEG -> -x;
      case EXP -> Math.exp(x);
      case LOG -> Math.log(x);
      case LOG1P -> Math.log1p(x);
      case EXPM1 -> Math.expm1(x);
      case SQRT -> Math.sqrt(x);
      case TANH -> Math.tanh(x);
      case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
      case ABS -> Math.abs(x);
      case SIGN -> Math.signum(x);
      case LGAMMA -> SpecialFunctions.lgamma(x);
      case DIGAMMA -> SpecialFunctions.digamma(x);
      case TRIGAMMA -> SpecialFunctions.trigamma(x);
      default -> throw new IllegalArgumentException(op + " is not a unary op");
    };
  }
}
