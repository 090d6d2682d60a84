package dev.vae.core.data;

import dev.vae.api.Rng;
import dev.vae.api.backend.Philox;

/**
 * Whether and how grey values in [0, 1] become 0/1 data for a Bernoulli likelihood: each value x
 * becomes 1 with probability x ({@code u < x} for u uniform in [0, 1) from the float32 stream).
 *
 * <p>The draws depend only on a seed (and, for {@link #DYNAMIC}, the epoch and batch), never on
 * how many batches a process has made before, so a resumed run sees the same data.
 */
public enum Binarization {
  /** Values are used as they are. */
  NONE,
  /**
   * One Bernoulli draw of the whole data set, made once from the seed and then fixed, as in the
   * "statically binarised MNIST" of the literature.
   */
  STATIC,
  /**
   * A fresh Bernoulli draw every time a batch is made, from a stream position derived from (seed,
   * epoch, batch index); acts as a regulariser, and is the usual choice for training.
   */
  DYNAMIC;

  private static final long STATIC_STREAM = 0x5354_4154_4943L;
  private static final long DYNAMIC_STREAM = 0x4459_4E41_4D49_43L;

  /**
   * The data as this mode sees it before batching: for {@link #STATIC}, a binarised copy drawn
   * from {@code seed}; otherwise {@code data} itself. For STATIC and DYNAMIC, every value must be
   * in [0, 1].
   *
   * @throws IllegalArgumentException naming the first example, feature and value outside [0, 1]
   */
  public DataSet prepare(DataSet data, long seed) {
    switch (this) {
      case NONE:
        return data;
      case DYNAMIC:
        checkUnitInterval(data);
        return data;
      case STATIC:
        return drawOnce(data, new Rng(seed).fork(STATIC_STREAM));
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * For {@link #DYNAMIC}, replaces the probabilities of a batch buffer in place by one Bernoulli
   * draw from the stream of (seed, epoch, batch); for the other modes, does nothing.
   *
   * @param values {@code rows × features} probabilities, row-major
   * @param exampleIndices for each row, its index in the data set (used in error messages)
   * @param source the data set's name, for error messages
   */
  public void applyToBatch(
      float[] values, int rows, int features, int[] exampleIndices, String source, long seed,
      int epoch, int batch) {
    if (this != DYNAMIC) {
      return;
    }
    draw(values, rows, features, exampleIndices, source, batchStream(seed, epoch, batch));
  }

  /** The stream a DYNAMIC draw of one batch uses: a function of (seed, epoch, batch) alone. */
  static Rng batchStream(long seed, int epoch, int batch) {
    return new Rng(seed).fork(DYNAMIC_STREAM).fork(epoch).fork(batch);
  }

  /**
   * One Bernoulli draw of a whole data set, example i taking stream elements
   * {@code [offset + i·m, offset + (i+1)·m)} of {@code rng}'s float32 stream.
   *
   * @throws IllegalArgumentException naming the first example, feature and value outside [0, 1]
   */
  static DataSet drawOnce(DataSet data, Rng rng) {
    checkUnitInterval(data);
    float[] source = data.values();
    float[] out = new float[source.length];
    int m = data.features();
    long first = rng.advance(source.length);
    float[] u = new float[m];
    for (int i = 0; i < data.size(); i++) {
      Philox.uniformFloats(rng.seed(), first + (long) i * m, u);
      int base = i * m;
      for (int j = 0; j < m; j++) {
        out[base + j] = u[j] < source[base + j] ? 1f : 0f;
      }
    }
    return data.withValues(out);
  }

  private static void draw(
      float[] values, int rows, int features, int[] exampleIndices, String source, Rng rng) {
    int n = rows * features;
    for (int i = 0; i < n; i++) {
      float v = values[i];
      if (!(v >= 0f && v <= 1f)) {
        throw outOfRange(source, exampleIndices[i / features], i % features, v);
      }
    }
    float[] u = UNIFORMS.get();
    if (u.length != n) {
      u = new float[n];
      UNIFORMS.set(u);
    }
    Philox.uniformFloats(rng.seed(), rng.advance(n), u);
    for (int i = 0; i < n; i++) { // u < p without a branch, so that it vectorises: p − u is 0 or ≥ 2^−149
      values[i] = Math.min(1f, Math.max(0f, (values[i] - u[i]) * 0x1p127f * 0x1p127f));
    }
  }

  /** The uniforms of the last batch drawn on this thread, reused for the next one of its size. */
  private static final ThreadLocal<float[]> UNIFORMS = ThreadLocal.withInitial(() -> new float[0]);

  /**
   * Checks that every value is a probability.
   *
   * @throws IllegalArgumentException naming the first example, feature and value outside [0, 1]
   */
  public static void checkUnitInterval(DataSet data) {
    float[] v = data.values();
    int m = data.features();
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0f && v[i] <= 1f)) {
        throw outOfRange(data.name(), i / m, i % m, v[i]);
      }
    }
  }

  private static IllegalArgumentException outOfRange(String source, int example, int feature, float v) {
    return new IllegalArgumentException(
        "cannot binarise '" + source + "': example " + example + ", feature " + feature + " has value "
            + v + ", outside [0, 1]; binarisation reads each value as the probability of a 1");
  }
}
