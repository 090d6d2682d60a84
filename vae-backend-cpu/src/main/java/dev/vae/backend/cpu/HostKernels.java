package dev.vae.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loops the backend runs in Java over an array's native buffer, for the few functions where
 * ND4J's kernels are inaccurate or slow (see {@link CpuBackend}). On the CPU the buffer is host
 * memory, so reading it is a copy into the Java heap, not a device transfer; large arrays are split
 * across the common fork-join pool.
 */
final class HostKernels {
  /** Below this many elements a loop runs on the calling thread only. */
  static final int PARALLEL_GRAIN = 1 << 15;

  private HostKernels() {}

  /** Receives one contiguous range {@code [from, to)} of a parallel loop. */
  @FunctionalInterface
  interface RangeBody {
    void run(int from, int to);
  }

  /** Runs {@code body} over {@code [0, n)} in chunks, in parallel when {@code n} is large. */
  static void parallelFor(int n, RangeBody body) {
    int chunks = Math.min(Runtime.getRuntime().availableProcessors(), n / PARALLEL_GRAIN);
    if (chunks <= 1) {
      body.run(0, n);
      return;
    }
    IntStream.range(0, chunks).parallel()
        .forEach(c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
  }

  /** The elements of a float32 array, row-major. */
  static float[] readFloats(INDArray a) {
    float[] out = new float[(int) a.length()];
    if (out.length > 0) {
      a.data().asNioFloat().get(out);
    }
    return out;
  }

  /** The elements of a float64 array, row-major. */
  static double[] readDoubles(INDArray a) {
    double[] out = new double[(int) a.length()];
    if (out.length > 0) {
      a.data().asNioDouble().get(out);
    }
    return out;
  }

  /** Overwrites every element of a float32 array. */
  static void writeFloats(INDArray a, float[] values) {
    if (values.length > 0) {
      a.data().asNioFloat().put(values);
    }
  }

  /** Overwrites every element of a float64 array. */
  static void writeDoubles(INDArray a, double[] values) {
    if (values.length > 0) {
      a.data().asNioDouble().put(values);
    }
  }

  /** Writes {@code f} of every element of {@code x} into {@code z}, computing in double. */
  static void map(INDArray x, INDArray z, DoubleUnaryOperator f) {
    if (x.dataType() == DataType.FLOAT) {
      float[] values = readFloats(x);
      parallelFor(values.length, (from, to) -> {
        for (int i = from; i < to; i++) {
          values[i] = (float) f.applyAsDouble(values[i]);
        }
      });
      writeFloats(z, values);
    } else {
      double[] values = readDoubles(x);
      parallelFor(values.length, (from, to) -> {
        for (int i = from; i < to; i++) {
          values[i] = f.applyAsDouble(values[i]);
        }
      });
      writeDoubles(z, values);
    }
  }

  /**
   * Replaces {@code z[i]} by {@code f(x[i])} wherever {@code |x[i]| < threshold}, leaving the other
   * elements (which ND4J computed accurately) alone.
   */
  static void fixSmallArguments(INDArray x, INDArray z, double threshold, DoubleUnaryOperator f) {
    if (x.dataType() == DataType.FLOAT) {
      float[] values = readFloats(x);
      float limit = (float) threshold;
      parallelFor(values.length, (from, to) -> {
        FloatBuffer out = z.data().asNioFloat();
        for (int i = from; i < to; i++) {
          float v = values[i];
          if (Math.abs(v) < limit) {
            out.put(i, (float) f.applyAsDouble(v));
          }
        }
      });
    } else {
      double[] values = readDoubles(x);
      parallelFor(values.length, (from, to) -> {
        DoubleBuffer out = z.data().asNioDouble();
        for (int i = from; i < to; i++) {
          double v = values[i];
          if (Math.abs(v) < threshold) {
            out.put(i, f.applyAsDouble(v));
          }
        }
      });
    }
  }

  /** z[i] = condition[i] != 0 ? a[i] : b[i] (a NaN condition picks a), all four of one shape. */
  static void select(INDArray condition, INDArray a, INDArray b, INDArray z) {
    if (z.dataType() == DataType.FLOAT) {
      float[] c = readFloats(condition);
      float[] x = readFloats(a);
      float[] y = readFloats(b);
      parallelFor(c.length, (from, to) -> {
        for (int i = from; i < to; i++) {
          c[i] = c[i] != 0f ? x[i] : y[i];
        }
      });
      writeFloats(z, c);
    } else {
      double[] c = readDoubles(condition);
      double[] x = readDoubles(a);
      double[] y = readDoubles(b);
      parallelFor(c.length, (from, to) -> {
        for (int i = from; i < to; i++) {
          c[i] = c[i] != 0.0 ? x[i] : y[i];
        }
      });
      writeDoubles(z, c);
    }
  }

  private static double[] widen(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /** z (zeroed here) gets row i of {@code updates} added into row {@code indices[i]}, in double. */
  static void scatterAddRows(INDArray updates, int[] indices, INDArray z) {
    int width = (int) (updates.length() / indices.length);
    double[] in = updates.dataType() == DataType.FLOAT ? widen(readFloats(updates)) : readDoubles(updates);
    double[] out = new double[(int) z.length()];
    for (int i = 0; i < indices.length; i++) {
      int from = i * width;
      int to = indices[i] * width;
      for (int j = 0; j < width; j++) {
        out[to + j] += in[from + j];
      }
    }
    if (z.dataType() == DataType.FLOAT) {
      float[] narrowed = new float[out.length];
      for (int i = 0; i < out.length; i++) {
        narrowed[i] = (float) out[i];
      }
      writeFloats(z, narrowed);
    } else {
      writeDoubles(z, out);
    }
  }
}
