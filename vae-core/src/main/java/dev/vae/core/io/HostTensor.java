package dev.vae.core.io;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable array of numbers in Java memory, with its shape and element type: the form in which
 * parameters and optimizer state are saved and loaded, whatever backend holds them while training.
 * Elements are in row-major order. Factories copy the array they are given and accessors return
 * copies, so a value never changes after it is made. Two host tensors are equal when type, shape
 * and elements are equal as {@link Arrays#equals(float[], float[])} compares them (NaN equals NaN,
 * 0.0 differs from -0.0).
 */
public final class HostTensor {
  /** How each element is stored; the names are the safetensors dtype codes. */
  public enum ElementType {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary64. */
    F64(8),
    /** Two's-complement 64-bit integer, for counters and indices. */
    I64(8);

    private final int bytes;

    ElementType(int bytes) {
      this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }

    /** The storage type of a backend dtype. */
    public static ElementType of(DType dtype) {
      return switch (dtype) {
        case FLOAT32 -> F32;
        case FLOAT64 -> F64;
      };
    }

    /** The backend dtype of a floating-point storage type; I64 has none. */
    public DType dtype() {
      return switch (this) {
        case F32 -> DType.FLOAT32;
        case F64 -> DType.FLOAT64;
        case I64 -> throw new IllegalStateException("I64 has no backend dtype; backends hold F32 or F64");
      };
    }
  }

  private final ElementType type;
  private final int[] shape;
  private final Object data;

  /** Takes ownership of {@code shape} and {@code data}, which must already agree. */
  private HostTensor(ElementType type, int[] shape, Object data) {
    this.type = type;
    this.shape = shape;
    this.data = data;
  }

  /** Float32 elements of the given shape (rank 0 for a scalar); the array is copied. */
  public static HostTensor ofFloats(float[] data, int... shape) {
    return new HostTensor(ElementType.F32, checkShape(shape, data.length), data.clone());
  }

  /** Float64 elements of the given shape; the array is copied. */
  public static HostTensor ofDoubles(double[] data, int... shape) {
    return new HostTensor(ElementType.F64, checkShape(shape, data.length), data.clone());
  }

  /** 64-bit integer elements of the given shape; the array is copied. */
  public static HostTensor ofLongs(long[] data, int... shape) {
    return new HostTensor(ElementType.I64, checkShape(shape, data.length), data.clone());
  }

  /**
   * Values read back from a backend (as {@code Parameter.toDoubles()} returns them) stored in that
   * backend's dtype: rounded to float32 for {@link DType#FLOAT32}, kept for {@link DType#FLOAT64}.
   */
  public static HostTensor fromDoubles(double[] values, Shape shape, DType dtype) {
    int[] dims = checkShape(shape.dims(), values.length);
    if (dtype == DType.FLOAT64) {
      return new HostTensor(ElementType.F64, dims, values.clone());
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return new HostTensor(ElementType.F32, dims, f);
  }

  /** Wraps arrays this package has just filled, without copying. */
  static HostTensor wrap(ElementType type, int[] shape, Object data) {
    int length = switch (type) {
      case F32 -> ((float[]) data).length;
      case F64 -> ((double[]) data).length;
      case I64 -> ((long[]) data).length;
    };
    return new HostTensor(type, checkShape(shape, length), data);
  }

  private static int[] checkShape(int[] shape, int length) {
    Objects.requireNonNull(shape, "shape");
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException(
            "axis " + i + " of shape " + Arrays.toString(shape) + " has negative size " + shape[i]);
      }
      n *= shape[i];
      if (n > Integer.MAX_VALUE) {
        n = Long.MAX_VALUE;
      }
    }
    if (n != length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds "
          + (n == Long.MAX_VALUE ? "more than " + Integer.MAX_VALUE : n) + " elements but " + length + " were given");
    }
    return shape.clone();
  }

  /** How the elements are stored. */
  public ElementType type() {
    return type;
  }

  /** A copy of the axis sizes, outermost first. */
  public int[] shape() {
    return shape.clone();
  }

  /** The shape as the backend API's value type. */
  public Shape apiShape() {
    return Shape.of(shape);
  }

  /** Number of axes (0 for a scalar). */
  public int rank() {
    return shape.length;
  }

  /** Number of elements. */
  public int size() {
    return switch (type) {
      case F32 -> ((float[]) data).length;
      case F64 -> ((double[]) data).length;
      case I64 -> ((long[]) data).length;
    };
  }

  /** Bytes the elements take when stored. */
  public long byteSize() {
    return (long) size() * type.bytes();
  }

  /** A copy of the elements of an F32 tensor. */
  public float[] floats() {
    return ((float[]) require(ElementType.F32)).clone();
  }

  /** A copy of the elements of an F64 tensor. */
  public double[] doubles() {
    return ((double[]) require(ElementType.F64)).clone();
  }

  /** A copy of the elements of an I64 tensor. */
  public long[] longs() {
    return ((long[]) require(ElementType.I64)).clone();
  }

  /**
   * The elements widened to double, whatever the type (what {@code Parameter.fromHost} takes).
   * Integers beyond 2^53 in magnitude are rounded.
   */
  public double[] toDoubles() {
    return switch (type) {
      case F64 -> ((double[]) data).clone();
      case F32 -> {
        float[] f = (float[]) data;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
          d[i] = f[i];
        }
        yield d;
      }
      case I64 -> {
        long[] l = (long[]) data;
        double[] d = new double[l.length];
        for (int i = 0; i < l.length; i++) {
          d[i] = l[i];
        }
        yield d;
      }
    };
  }

  /** The backing array itself, for this package's writers, which only read it. */
  Object data() {
    return data;
  }

  private Object require(ElementType wanted) {
    if (type != wanted) {
      throw new IllegalStateException("this tensor holds " + type + " elements, not " + wanted);
    }
    return data;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HostTensor t) || t.type != type || !Arrays.equals(t.shape, shape)) {
      return false;
    }
    return switch (type) {
      case F32 -> Arrays.equals((float[]) data, (float[]) t.data);
      case F64 -> Arrays.equals((double[]) data, (double[]) t.data);
      case I64 -> Arrays.equals((long[]) data, (long[]) t.data);
    };
  }

  @Override
  public int hashCode() {
    int h = type.hashCode() * 31 + Arrays.hashCode(shape);
    return h * 31 + switch (type) {
      case F32 -> Arrays.hashCode((float[]) data);
      case F64 -> Arrays.hashCode((double[]) data);
      case I64 -> Arrays.hashCode((long[]) data);
    };
  }

  @Override
  public String toString() {
    return "HostTensor " + type + " " + Arrays.toString(shape);
  }
}
