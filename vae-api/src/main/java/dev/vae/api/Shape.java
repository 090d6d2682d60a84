package dev.vae.api;

import java.util.Arrays;

/**
 * An immutable tensor shape: the size of each axis, outermost first (row-major). Rank 0 is a scalar.
 * Also holds the shape arithmetic every backend shares (broadcasting, axis normalisation), so that
 * each rule and its error message live in one place.
 */
public final class Shape {
  private static final Shape SCALAR = new Shape(new int[0]);

  private final int[] dims;

  private Shape(int[] dims) {
    this.dims = dims;
  }

  /** A shape with the given axis sizes; each must be zero or positive. */
  public static Shape of(int... dims) {
    if (dims.length == 0) {
      return SCALAR;
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new IllegalArgumentException(
            "axis " + i + " of shape " + Arrays.toString(dims) + " has negative size " + dims[i]);
      }
    }
    return new Shape(dims.clone());
  }

  /** A batch of n examples of the given shape: [n, example...]. */
  public static Shape batch(int n, Shape example) {
    int[] dims = new int[example.rank() + 1];
    dims[0] = n;
    System.arraycopy(example.dims, 0, dims, 1, example.rank());
    return of(dims);
  }

  /** The shape of a scalar (rank 0, one element). */
  public static Shape scalar() {
    return SCALAR;
  }

  public int rank() {
    return dims.length;
  }

  /** Size of an axis; negative axes count from the end. */
  public int dim(int axis) {
    return dims[normaliseAxis(axis)];
  }

  /** A copy of the axis sizes. */
  public int[] dims() {
    return dims.clone();
  }

  /** Number of elements (1 for a scalar, 0 if any axis is empty). */
  public long size() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** Number of elements as an int, failing clearly for shapes too large for one Java array. */
  public int sizeAsInt() {
    long n = size();
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + this + " has " + n + " elements, more than one array holds");
    }
    return (int) n;
  }

  /** Row-major strides in elements. */
  public int[] strides() {
    int[] strides = new int[dims.length];
    int s = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= dims[i];
    }
    return strides;
  }

  /** Maps a possibly negative axis into [0, rank), failing with the shape in the message. */
  public int normaliseAxis(int axis) {
    int a = axis < 0 ? axis + dims.length : axis;
    if (a < 0 || a >= dims.length) {
      throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
    }
    return a;
  }

  /** Normalises, sorts and de-duplicates axes; an empty argument means every axis. */
  public int[] normaliseAxes(int... axes) {
    if (axes.length == 0) {
      int[] all = new int[dims.length];
      Arrays.setAll(all, i -> i);
      return all;
    }
    // A loop rather than a stream: this runs several times in every training step, and the stream's
    // pipeline cost the JIT 0.3 s of compiling in a run's first epoch.
    int[] sorted = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      sorted[i] = normaliseAxis(axes[i]);
    }
    Arrays.sort(sorted);
    int distinct = 0;
    for (int a : sorted) {
      if (distinct == 0 || sorted[distinct - 1] != a) {
        sorted[distinct++] = a;
      }
    }
    return Arrays.copyOf(sorted, distinct);
  }

  /** The shape with the given (normalised) axes removed, or set to 1 when {@code keepDims}. */
  public Shape reduce(int[] normalisedAxes, boolean keepDims) {
    boolean[] reduced = new boolean[dims.length];
    for (int a : normalisedAxes) {
      reduced[a] = true;
    }
    int[] out = new int[keepDims ? dims.length : dims.length - normalisedAxes.length];
    int j = 0;
    for (int i = 0; i < dims.length; i++) {
      if (!reduced[i]) {
        out[j++] = dims[i];
      } else if (keepDims) {
        out[j++] = 1;
      }
    }
    return of(out);
  }

  /**
   * The numpy broadcast of two shapes: axes aligned from the right, each pair equal or one of them 1.
   *
   * @throws IllegalArgumentException naming both shapes when they do not broadcast
   */
  public static Shape broadcast(Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
      int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast: axis "
            + (i - rank) + " has sizes " + da + " and " + db);
      }
      out[i] = da == 1 ? db : da;
    }
    return of(out);
  }

  /** True if this shape broadcasts to {@code target} without changing {@code target}. */
  public boolean broadcastsTo(Shape target) {
    if (rank() > target.rank()) {
      return false;
    }
    int offset = target.rank() - rank();
    for (int i = 0; i < rank(); i++) {
      if (dims[i] != 1 && dims[i] != target.dims[i + offset]) {
        return false;
      }
    }
    return true;
  }

  /** This shape with the last axes replaced: {@code [batch..., a, b]} style helpers for matmul. */
  public Shape withDim(int axis, int size) {
    int[] d = dims.clone();
    d[normaliseAxis(axis)] = size;
    return of(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
