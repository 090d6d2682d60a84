package dev.vae.core.eval;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.Posterior;

/**
 * The importance-sampled estimate of log p(x) (Burda et al. 2016): with k draws z_i ~ q(z|x),
 * log p(x) ≈ log (1/k) Σ p(x|z_i) p(z_i) / q(z_i|x), computed as a log-mean-exp. The k draws are
 * taken in chunks so memory stays bounded whatever k is; the chunks are combined exactly.
 */
public final class ImportanceSampling {
  private ImportanceSampling() {}

  /**
   * log p(x) estimates for each row of {@code x} [n, m], with {@code k} samples in chunks of
   * {@code chunk} (the last one's surplus drawn and left unused). The result is on the host, one
   * value per example.
   */
  public static double[] logLikelihood(Vae vae, Tensor x, int k, int chunk, Rng rng) {
    try (Engine.NoGrad noGrad = vae.engine().noGrad(); MemoryScope outer = vae.engine().scope()) {
      return logLikelihood(vae, x, vae.encode(x), k, chunk, rng);
    }
  }

  /**
   * The most samples per example (at least 1, at most {@code most}) whose importance weights for
   * {@code examples} examples at once are expected to fit in {@code bytes}. A sample's cost is
   * measured: the bytes that one draw's importance weight (the posterior's draw through its flows,
   * the decoder, the likelihood's density and mean, the prior's density) leaves in a memory scope,
   * per example, doubled for what the backend keeps for reuse.
   */
  public static int chunkFitting(Vae vae, int examples, long bytes, int most) {
    long perRow = (weighingBytes(vae, 6) - weighingBytes(vae, 2)) / 4;
    long cost = 2 * Math.max(perRow, (long) vae.dataDimension() * vae.dtype().bytes());
    return (int) Math.max(1, Math.min(most, bytes / cost / examples));
  }

  /**
   * Bytes left in a scope by the importance weights of one draw for each of {@code rows} examples:
   * the posterior's draw (through its flows), the decoder, the likelihood's density and mean, and
   * the prior's log-density.
   */
  static long weighingBytes(Vae vae, int rows) {
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      Tensor x = engine.fromHost(new float[rows * vae.dataDimension()], Shape.of(rows, vae.dataDimension()))
          .cast(vae.dtype());
      Posterior q = vae.encode(x);
      vae.logWeights(x, q, 1, new Rng(0));
      vae.likelihood().mean(vae.decode(q.pointEstimate()));
      return scope.bytes();
    }
  }

  /** As {@link #logLikelihood(Vae, Tensor, int, int, Rng)} with x's posterior already computed. */
  public static double[] logLikelihood(Vae vae, Tensor x, Posterior q, int k, int chunk, Rng rng) {
    if (k < 1 || chunk < 1) {
      throw new IllegalArgumentException("need k >= 1 and chunk >= 1, got k=" + k + ", chunk=" + chunk);
    }
    Engine engine = vae.engine();
    int n = x.dim(0);
    double[] runningMax = new double[n];
    double[] runningSum = new double[n];
    java.util.Arrays.fill(runningMax, Double.NEGATIVE_INFINITY);
    // Every chunk draws as many samples, the last using only the ones it needs: chunks of one size let
    // the backend reuse the arrays of the one before instead of holding both.
    int drawn = Math.min(chunk, k);
    try (Engine.NoGrad noGrad = engine.noGrad()) {
      for (int done = 0; done < k; done += drawn) {
        try (MemoryScope scope = engine.scope()) {
          double[] logWeights = vae.logWeights(x, q, drawn, rng).toDoubles();
          accumulate(logWeights, Math.min(drawn, k - done), n, runningMax, runningSum);
        }
      }
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = runningMax[i] + Math.log(runningSum[i]) - Math.log(k);
    }
    return out;
  }

  /** Folds a chunk of log-weights into per-example running (max, Σ exp(w − max)). */
  private static void accumulate(double[] logWeights, int c, int n, double[] max, double[] sum) {
    for (int i = 0; i < n; i++) {
      double chunkMax = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < c; s++) {
        chunkMax = Math.max(chunkMax, logWeights[s * n + i]);
      }
      double newMax = Math.max(max[i], chunkMax);
      if (newMax == Double.NEGATIVE_INFINITY) {
        continue;
      }
      double total = sum[i] * Math.exp(max[i] - newMax);
      for (int s = 0; s < c; s++) {
        total += Math.exp(logWeights[s * n + i] - newMax);
      }
      max[i] = newMax;
      sum[i] = total;
    }
  }
}
