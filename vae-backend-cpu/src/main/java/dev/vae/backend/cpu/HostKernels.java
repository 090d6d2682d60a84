package dev.vae.backend.cpu;

import dev.vae.api.backend.Op;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loops the backend runs in Java over an array's native buffer, for the few functions where
 * ND4J's kernels are inaccurate or slow (see {@link CpuBackend}). On the CPU the buffer is host
 * memory, so reading it is a copy into the Java heap, not a device transfer; large arrays are cut
 * into chunks that run on two threads, or on the fork-join pool with more cores ({@link #forEachChunk}).
 */
final class HostKernels {
  /**
   * The least number of elements a thread gets: the loops here cost 10 to 100 ns an element, so a
   * chunk outweighs the hand-off to another thread many times over, and a chunk's few arrays
   * (32 KiB each in float32) stay in the core's cache between copying in, computing and copying out.
   */
  static final int PARALLEL_GRAIN = 1 << 13;

  private HostKernels() {}

  /** Receives one contiguous range {@code [from, to)} of a parallel loop. */
  @FunctionalInterface
  interface RangeBody {
    void run(int from, int to);
  }

  /** Whether the machine has more cores than the calling thread and the {@link SecondThread}. */
  private static final boolean MANY_CORES = Runtime.getRuntime().availableProcessors() > 2;

  /** Runs {@code body} over {@code [0, n)} in chunks of {@link #PARALLEL_GRAIN} elements ({@link #forEachChunk}). */
  static void parallelFor(int n, RangeBody body) {
    int chunks = (n + PARALLEL_GRAIN - 1) / PARALLEL_GRAIN;
    forEachChunk(chunks, c -> body.run(c * PARALLEL_GRAIN, (int) Math.min(n, (long) (c + 1) * PARALLEL_GRAIN)));
  }

  /** Receives a chunk of whole rows: {@code count} rows from row {@code first}. */
  @FunctionalInterface
  interface RowsBody {
    void run(int first, int count);
  }

  /**
   * Runs {@code body} over {@code rows} rows of {@code rowLength} elements in chunks of whole rows,
   * about {@link #PARALLEL_GRAIN} elements each ({@link #forEachChunk}).
   */
  static void forEachRowChunk(int rows, int rowLength, RowsBody body) {
    int rowsPerChunk = Math.max(1, PARALLEL_GRAIN / Math.max(rowLength, 1));
    forEachChunk((rows + rowsPerChunk - 1) / rowsPerChunk, c -> {
      int first = c * rowsPerChunk;
      body.run(first, Math.min(rows, first + rowsPerChunk) - first);
    });
  }

  /** Rewrites in place the {@code n} float32 elements of one chunk, copied into a scratch array. */
  @FunctionalInterface
  interface ChunkMap {
    void apply(float[] values, int n);
  }

  /**
   * z = f(x) for float32 arrays of one length, chunk by chunk ({@link #parallelFor}): each chunk of x
   * is copied into its thread's scratch array, rewritten there by {@code f} and copied into z.
   */
  static void mapChunks(INDArray x, INDArray z, ChunkMap f) {
    FloatBuffer xs = x.data().asNioFloat();
    FloatBuffer zs = z.data().asNioFloat();
    parallelFor((int) x.length(), (from, to) -> {
      int n = to - from;
      float[] values = scratchRange(xs, from, n, 0);
      f.apply(values, n);
      zs.put(from, values, 0, n);
    });
  }

  /**
   * Runs chunks {@code [0, chunks)} of a loop: on two cores the calling thread and the
   * {@link SecondThread} share them (a sleeping pool thread wakes too late there to help with ops
   * this small); with more cores the common fork-join pool takes them, as many at once as it has
   * threads (not measured against the helper on such a machine).
   */
  static void forEachChunk(int chunks, SecondThread.Chunk body) {
    if (MANY_CORES && chunks > 1) {
      IntStream.range(0, chunks).parallel().forEach(body::run);
    } else {
      SecondThread.forEachChunk(chunks, body);
    }
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

  /**
   * Per thread, {@value #SCRATCH_SLOTS} float arrays that the float32 loops here copy into and out of,
   * each grown to the largest array it has held and then reused: allocating megabytes of fresh heap
   * for every call doubled the time of the training step's host loops. A thread keeps at most
   * {@value #SCRATCH_SLOTS} times its largest array.
   */
  private static final int SCRATCH_SLOTS = 4;
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[SCRATCH_SLOTS][0]);

  /** The elements of a float32 array, copied into this thread's scratch array {@code slot} (which may be longer). */
  static float[] scratchCopy(INDArray a, int slot) {
    int n = (int) a.length();
    float[] scratch = scratch(slot, n);
    if (n > 0) {
      a.data().asNioFloat().get(scratch, 0, n);
    }
    return scratch;
  }

  /**
   * Elements {@code [from, from + length)} of a float32 buffer, copied into this thread's scratch
   * array {@code slot}: a parallel loop's chunk copies just its own range, on its own thread.
   */
  static float[] scratchRange(FloatBuffer buffer, int from, int length, int slot) {
    float[] scratch = scratch(slot, length);
    buffer.get(from, scratch, 0, length);
    return scratch;
  }

  /** This thread's scratch array {@code slot}, at least {@code n} long, its contents left over from earlier use. */
  static float[] scratch(int slot, int n) {
    float[][] slots = SCRATCH.get();
    if (slots[slot].length < n) {
      slots[slot] = new float[n];
    }
    return slots[slot];
  }

  /** Overwrites a float32 array with the first elements of {@code values}. */
  static void writeBack(INDArray a, float[] values) {
    int n = (int) a.length();
    if (n > 0) {
      a.data().asNioFloat().put(values, 0, n);
    }
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

  /** z[i · copies + k] = x[i] for every k &lt; copies: each of x's n elements repeated over a block. */
  static void repeatEach(INDArray x, int n, int copies, INDArray z) {
    if (x.dataType() == DataType.FLOAT) {
      float[] in = scratchCopy(x, 0);
      float[] out = scratch(1, n * copies);
      for (int i = 0; i < n; i++) {
        Arrays.fill(out, i * copies, (i + 1) * copies, in[i]);
      }
      writeBack(z, out);
    } else {
      double[] in = readDoubles(x);
      double[] out = new double[n * copies];
      for (int i = 0; i < n; i++) {
        Arrays.fill(out, i * copies, (i + 1) * copies, in[i]);
      }
      writeDoubles(z, out);
    }
  }

  /** Sets every element of z to {@code value} (rounded to float for float32). */
  static void fill(INDArray z, double value) {
    int n = (int) z.length();
    if (z.dataType() == DataType.FLOAT) {
      float[] out = scratch(0, n);
      Arrays.fill(out, 0, n, (float) value);
      writeBack(z, out);
    } else {
      double[] out = new double[n];
      Arrays.fill(out, value);
      writeDoubles(z, out);
    }
  }

  /** Writes {@code f} of every element of {@code x} into {@code z}, computing in double. */
  static void map(INDArray x, INDArray z, DoubleUnaryOperator f) {
    if (x.dataType() == DataType.FLOAT) {
      float[] values = scratchCopy(x, 0);
      parallelFor((int) x.length(), (from, to) -> {
        for (int i = from; i < to; i++) {
          values[i] = (float) f.applyAsDouble(values[i]);
        }
      });
      writeBack(z, values);
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

  /** z = −|x|, elementwise. */
  static void minusAbs(INDArray x, INDArray z) {
    if (x.dataType() == DataType.FLOAT) {
      mapChunks(x, z, (values, n) -> {
        for (int i = 0; i < n; i++) {
          values[i] = -Math.abs(values[i]);
        }
      });
    } else {
      double[] values = readDoubles(x);
      for (int i = 0; i < values.length; i++) {
        values[i] = -Math.abs(values[i]);
      }
      writeDoubles(z, values);
    }
  }

  /**
   * z = op(x, s) as 1 or 0, for a float32 x and a finite s, in loops without branches, which C2
   * vectorises: libnd4j's boolean op and the cast after it took 140–300 µs on [128, 400] and
   * [128, 784], a branch on random signs even longer. Each comparison is the sign of a difference
   * of two floats, which is never rounded to 0 unless they are equal: x ≥ s is (x − t) &gt; 0 with t
   * the float below s, x = s is |x − s| = 0. A NaN the arithmetic carries through becomes 0 (1 for
   * NE) in a second, scalar pass.
   */
  static void compareWithScalar(Op op, INDArray x, float s, INDArray z) {
    float below = Math.nextDown(s);
    float above = Math.nextUp(s);
    float nanGives = op == Op.NE ? 1f : 0f;
    mapChunks(x, z, (v, n) -> {
      switch (op) {
        case GT -> {
          for (int i = 0; i < n; i++) {
            v[i] = SpecialFunctions.isPositive(v[i] - s);
          }
        }
        case GE -> {
          for (int i = 0; i < n; i++) {
            v[i] = SpecialFunctions.isPositive(v[i] - below);
          }
        }
        case LT -> {
          for (int i = 0; i < n; i++) {
            v[i] = SpecialFunctions.isPositive(s - v[i]);
          }
        }
        case LE -> {
          for (int i = 0; i < n; i++) {
            v[i] = SpecialFunctions.isPositive(above - v[i]);
          }
        }
        case EQ -> {
          for (int i = 0; i < n; i++) {
            v[i] = 1f - SpecialFunctions.isPositive(Math.abs(v[i] - s));
          }
        }
        case NE -> {
          for (int i = 0; i < n; i++) {
            v[i] = SpecialFunctions.isPositive(Math.abs(v[i] - s));
          }
        }
        default -> throw new IllegalArgumentException("op " + op + " is not a comparison");
      }
      for (int i = 0; i < n; i++) {
        if (v[i] != v[i]) {
          v[i] = nanGives;
        }
      }
    });
  }

  /**
   * z = softplus(x) = max(x, 0) + log1p(u), given u = e^−|x| already in z, to the dtype's precision
   * for every x; and, unless {@code slope} is null, slope = sigmoid(x)
   * ({@link SpecialFunctions#sigmoidFromExp}).
   */
  static void softplusFromExp(INDArray x, INDArray z, INDArray slope) {
    if (x.dataType() == DataType.FLOAT) {
      FloatBuffer xs = x.data().asNioFloat();
      FloatBuffer zs = z.data().asNioFloat();
      FloatBuffer slopes = slope == null ? null : slope.data().asNioFloat();
      parallelFor((int) x.length(), (from, to) -> {
        int n = to - from;
        float[] in = scratchRange(xs, from, n, 0);
        float[] out = scratchRange(zs, from, n, 1);
        if (slopes != null) {
          float[] sigmoid = scratch(2, n);
          for (int i = 0; i < n; i++) {
            sigmoid[i] = SpecialFunctions.sigmoidFromExp(in[i], out[i]);
          }
          slopes.put(from, sigmoid, 0, n);
        }
        for (int i = 0; i < n; i++) {
          out[i] = (float) (Math.max(in[i], 0.0) + SpecialFunctions.log1pOfExpForFloat(out[i]));
        }
        zs.put(from, out, 0, n);
      });
    } else {
      double[] in = readDoubles(x);
      double[] out = readDoubles(z);
      double[] sigmoid = slope == null ? null : new double[in.length];
      parallelFor(in.length, (from, to) -> {
        for (int i = from; i < to; i++) {
          if (sigmoid != null) {
            sigmoid[i] = SpecialFunctions.sigmoidFromExp(in[i], out[i]);
          }
          out[i] = Math.max(in[i], 0.0) + Math.log1p(out[i]);
        }
      });
      writeDoubles(z, out);
      if (sigmoid != null) {
        writeDoubles(slope, sigmoid);
      }
    }
  }

  /**
   * For targets x and logits η ([rows, dims]): writes each row's Σ_j x_j η_j − softplus(η_j) into
   * {@code sums} (accumulated in double) and the slope x − sigmoid(η) into {@code slope}. Float64
   * expects u = e^−|η| in {@code slope} on entry. Float32 computes u itself
   * ({@link SpecialFunctions#expOfNonPositive}, scalar) in chunks of whole rows on two threads; the
   * rest of each term in float, in loops C2 vectorises, within a few ulp
   * ({@link SpecialFunctions#log1pOfExpInFloat}), which vanish in the row's sum.
   */
  static void bernoulli(INDArray x, INDArray logits, INDArray slope, INDArray sums) {
    int rows = (int) logits.size(0);
    int dims = (int) logits.size(1);
    if (x.dataType() != DataType.FLOAT) {
      double[] t = readDoubles(x);
      double[] eta = readDoubles(logits);
      double[] u = readDoubles(slope);
      double[] rowSums = new double[rows];
      for (int i = 0; i < eta.length; i++) {
        rowSums[i / dims] += t[i] * eta[i] - (Math.max(eta[i], 0.0) + Math.log1p(u[i]));
        u[i] = t[i] - SpecialFunctions.sigmoidFromExp(eta[i], u[i]);
      }
      writeDoubles(slope, u);
      writeDoubles(sums, rowSums);
      return;
    }
    FloatBuffer targets = x.data().asNioFloat();
    FloatBuffer etas = logits.data().asNioFloat();
    FloatBuffer slopes = slope.data().asNioFloat();
    FloatBuffer out = sums.data().asNioFloat();
    forEachRowChunk(rows, dims, (firstRow, chunkRows) -> {
      int from = firstRow * dims;
      int n = chunkRows * dims;
      float[] t = scratchRange(targets, from, n, 0);
      float[] eta = scratchRange(etas, from, n, 1);
      float[] u = scratch(2, n);
      for (int i = 0; i < n; i++) {
        u[i] = SpecialFunctions.expOfNonPositive(-Math.abs(eta[i]));
      }
      float[] terms = scratch(3, n);
      for (int i = 0; i < n; i++) { // vectorised: float arithmetic only
        terms[i] = t[i] * eta[i] - (Math.max(eta[i], 0f) + SpecialFunctions.log1pOfExpInFloat(u[i]));
      }
      float[] rowSums = new float[chunkRows];
      for (int r = 0; r < chunkRows; r++) {
        double sum = 0;
        for (int i = r * dims; i < (r + 1) * dims; i++) {
          sum += terms[i];
        }
        rowSums[r] = (float) sum;
      }
      out.put(firstRow, rowSums, 0, chunkRows);
      for (int i = 0; i < n; i++) { // vectorised, the sigmoid's choice included
        u[i] = t[i] - SpecialFunctions.sigmoidFromExp(eta[i], u[i]);
      }
      slopes.put(from, u, 0, n);
    });
  }

  /** The numbers of one Adam / AdamW step: rate, decays, epsilon, weight decay and the step, from 1. */
  record AdamStep(double lr, double beta1, double beta2, double eps, double weightDecay, long step) {}

  /**
   * One Adam / AdamW step in place: m = β1 m + (1 − β1) g, v = β2 v + (1 − β2) g², then
   * param −= lr (m̂ / (√v̂ + ε) + wd param) with m̂, v̂ bias-corrected; in the arrays' dtype, which
   * for float32 keeps the loop vectorised (double division and square root made it five times
   * slower). Float32 runs chunk by chunk, each chunk copied into its thread's scratch arrays and
   * back: the MNIST model's eight parameter arrays take about 1.1 ms a step, against 2.0–2.3 ms for
   * whole-array copies and 1.5–1.9 ms for libnd4j's adam_updater on the 784 × 400 weights alone.
   */
  static void adam(INDArray param, INDArray grad, INDArray m, INDArray v, AdamStep a) {
    double correction1 = 1 - Math.pow(a.beta1(), a.step());
    double correction2 = 1 - Math.pow(a.beta2(), a.step());
    if (param.dataType() == DataType.FLOAT) {
      adamFloat(param, grad, m, v, a, correction1, correction2);
    } else {
      adamDouble(param, grad, m, v, a, correction1, correction2);
    }
  }

  private static void adamFloat(INDArray param, INDArray grad, INDArray m, INDArray v, AdamStep a,
      double correction1, double correction2) {
    FloatBuffer params = param.data().asNioFloat();
    FloatBuffer grads = grad.data().asNioFloat();
    FloatBuffer firsts = m.data().asNioFloat();
    FloatBuffer seconds = v.data().asNioFloat();
    float beta1 = (float) a.beta1();
    float beta2 = (float) a.beta2();
    float keep1 = (float) (1 - a.beta1());
    float keep2 = (float) (1 - a.beta2());
    float unbias1 = (float) (1 / correction1);
    float unbias2 = (float) (1 / Math.sqrt(correction2));
    float eps = (float) a.eps();
    float lr = (float) a.lr();
    float decay = (float) (1 - a.lr() * a.weightDecay());
    parallelFor((int) param.length(), (from, to) -> {
      int n = to - from;
      float[] p = scratchRange(params, from, n, 0);
      float[] g = scratchRange(grads, from, n, 1);
      float[] first = scratchRange(firsts, from, n, 2);
      float[] second = scratchRange(seconds, from, n, 3);
      for (int i = 0; i < n; i++) {
        float mi = beta1 * first[i] + keep1 * g[i];
        float vi = beta2 * second[i] + keep2 * g[i] * g[i];
        first[i] = mi;
        second[i] = vi;
        p[i] = decay * p[i] - lr * (mi * unbias1) / ((float) Math.sqrt(vi) * unbias2 + eps);
      }
      params.put(from, p, 0, n);
      firsts.put(from, first, 0, n);
      seconds.put(from, second, 0, n);
    });
  }

  private static void adamDouble(INDArray param, INDArray grad, INDArray m, INDArray v, AdamStep a,
      double correction1, double correction2) {
    double[] p = readDoubles(param);
    double[] g = readDoubles(grad);
    double[] first = readDoubles(m);
    double[] second = readDoubles(v);
    parallelFor(p.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        first[i] = a.beta1() * first[i] + (1 - a.beta1()) * g[i];
        second[i] = a.beta2() * second[i] + (1 - a.beta2()) * g[i] * g[i];
        double update = (first[i] / correction1) / (Math.sqrt(second[i] / correction2) + a.eps());
        p[i] -= a.lr() * (update + a.weightDecay() * p[i]);
      }
    });
    writeDoubles(param, p);
    writeDoubles(m, first);
    writeDoubles(v, second);
  }

  /** The functions whose small arguments ND4J gets wrong, and the bound below which they are fixed. */
  enum NearZero {
    LOG1P(0.5),
    EXPM1(0.5),
    TANH(SpecialFunctions.TANH_SERIES_LIMIT);

    final double limit;

    NearZero(double limit) {
      this.limit = limit;
    }
  }

  /**
   * Replaces {@code z[i]} by an accurate value of {@code function(x[i])} wherever
   * {@code |x[i]| < function.limit}, leaving the other elements (which ND4J computed accurately)
   * alone. One loop per function and dtype, so each inlines its function.
   */
  static void fixSmallArguments(INDArray x, INDArray z, NearZero function) {
    if (x.dataType() == DataType.FLOAT) {
      float[] in = scratchCopy(x, 0);
      float[] out = scratchCopy(z, 1);
      float limit = (float) function.limit;
      parallelFor((int) x.length(), (from, to) -> {
        switch (function) {
          case LOG1P -> {
            for (int i = from; i < to; i++) {
              if (Math.abs(in[i]) < limit) {
                out[i] = (float) SpecialFunctions.log1pOfFloat(in[i]);
              }
            }
          }
          case EXPM1 -> {
            for (int i = from; i < to; i++) {
              if (Math.abs(in[i]) < limit) {
                out[i] = (float) SpecialFunctions.expm1OfFloat(in[i]);
              }
            }
          }
          default -> {
            for (int i = from; i < to; i++) {
              if (Math.abs(in[i]) < limit) {
                out[i] = (float) SpecialFunctions.tanhNearZeroFloat(in[i]);
              }
            }
          }
        }
      });
      writeBack(z, out);
    } else {
      double[] in = readDoubles(x);
      double[] out = readDoubles(z);
      double limit = function.limit;
      parallelFor(in.length, (from, to) -> {
        switch (function) {
          case LOG1P -> {
            for (int i = from; i < to; i++) {
              if (Math.abs(in[i]) < limit) {
                out[i] = Math.log1p(in[i]);
              }
            }
          }
          case EXPM1 -> {
            for (int i = from; i < to; i++) {
              if (Math.abs(in[i]) < limit) {
                out[i] = Math.expm1(in[i]);
              }
            }
          }
          default -> {
            for (int i = from; i < to; i++) {
              if (Math.abs(in[i]) < limit) {
                out[i] = SpecialFunctions.tanhNearZero(in[i]);
              }
            }
          }
        }
      });
      writeDoubles(z, out);
    }
  }

  /**
   * The largest float32 array {@link #sumMiddleAxis} is used for: up to here one Java thread sums
   * in a third to half of libnd4j's time (BENCHMARKS.md, "Sums on the host"),
   * beyond it libnd4j's threads take over.
   */
  static final long HOST_SUM_ELEMENTS = 1L << 20;

  /**
   * Sums a float32 array viewed as [outer, reduced, inner] over its middle axis into z, which holds
   * [outer, inner] elements, accumulating in double.
   */
  static void sumMiddleAxis(INDArray x, int outer, int reduced, int inner, INDArray z) {
    float[] v = scratchCopy(x, 0);
    float[] out = scratch(1, outer * inner);
    if (inner == 1) {
      for (int o = 0; o < outer; o++) {
        out[o] = (float) sumRun(v, o * reduced, reduced);
      }
    } else {
      double[] acc = new double[inner];
      for (int o = 0; o < outer; o++) {
        Arrays.fill(acc, 0.0);
        for (int k = 0; k < reduced; k++) {
          int row = (o * reduced + k) * inner;
          for (int j = 0; j < inner; j++) {
            acc[j] += v[row + j];
          }
        }
        for (int j = 0; j < inner; j++) {
          out[o * inner + j] = (float) acc[j];
        }
      }
    }
    writeBack(z, out);
  }

  /** The sum of {@code v[from, from + n)} in double, with four partial sums to keep the adder busy. */
  private static double sumRun(float[] v, int from, int n) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int i = from;
    int end = from + n;
    for (; i + 3 < end; i += 4) {
      a0 += v[i];
      a1 += v[i + 1];
      a2 += v[i + 2];
      a3 += v[i + 3];
    }
    for (; i < end; i++) {
      a0 += v[i];
    }
    return (a0 + a1) + (a2 + a3);
  }

  /** z[i] = condition[i] != 0 ? a[i] : b[i] (a NaN condition picks a), all four of one shape. */
  static void select(INDArray condition, INDArray a, INDArray b, INDArray z) {
    if (z.dataType() == DataType.FLOAT) {
      float[] c = scratchCopy(condition, 0);
      float[] x = scratchCopy(a, 1);
      float[] y = scratchCopy(b, 2);
      int n = (int) z.length();
      for (int i = 0; i < n; i++) {
        c[i] = c[i] != 0f ? x[i] : y[i];
      }
      writeBack(z, c);
    } else {
      double[] c = readDoubles(condition);
      double[] x = readDoubles(a);
      double[] y = readDoubles(b);
      for (int i = 0; i < c.length; i++) {
        c[i] = c[i] != 0.0 ? x[i] : y[i];
      }
      writeDoubles(z, c);
    }
  }
}
