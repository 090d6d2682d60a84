package dev.vae.backend.cpu;

/**
 * The loops of the CPU backend's fused kernels (softplus, softplus with its slope, the Bernoulli
 * log-likelihood, the Adam update) on Java arrays, chunked by {@link Parallel}. Float32 takes
 * e^−|x| from {@link SpecialFunctions#expOfNonPositive} (a few nanoseconds, against 17 for
 * {@link Math#exp}) and does the rest in float where C2 vectorises it.
 */
final class FusedLoops {
  private FusedLoops() {}

  /** z = softplus(x) = max(x, 0) + log1p(e^−|x|); and slope = sigmoid(x) unless it is null. */
  static void softplus(Object x, Object z, Object slope) {
    int n = java.lang.reflect.Array.getLength(x);
    Parallel.forRange(n, Parallel.TRANSCENDENTAL, (from, to) -> {
      if (x instanceof float[] xf) {
        float[] zf = (float[]) z;
        float[] sf = (float[]) slope;
        float[] u = (float[]) Scratch.array(Scratch.EXPONENTIALS, xf, xf.length); // e^−|x|, indexed like x
        for (int i = from; i < to; i++) {
          u[i] = SpecialFunctions.expOfNonPositive(-Math.abs(xf[i]));
        }
        if (sf != null) {
          for (int i = from; i < to; i++) {
            sf[i] = SpecialFunctions.sigmoidFromExp(xf[i], u[i]);
          }
        }
        for (int i = from; i < to; i++) {
          zf[i] = (float) (Math.max(xf[i], 0.0) + SpecialFunctions.log1pOfExpForFloat(u[i]));
        }
      } else {
        double[] xd = (double[]) x;
        double[] zd = (double[]) z;
        double[] sd = (double[]) slope;
        for (int i = from; i < to; i++) {
          double u = Math.exp(-Math.abs(xd[i]));
          if (sd != null) {
            sd[i] = SpecialFunctions.sigmoidFromExp(xd[i], u);
          }
          zd[i] = Math.max(xd[i], 0.0) + Math.log1p(u);
        }
      }
    });
  }

  /**
   * For targets t and logits η, [rows, dims]: sums[r] = Σ_j t η − softplus(η) over row r
   * (accumulated in double) and slope = t − sigmoid(η).
   */
  static void bernoulli(Object t, Object eta, Object slope, Object sums, int rows, int dims) {
    Parallel.forRange(rows, (long) dims * Parallel.TRANSCENDENTAL, (from, to) -> {
      if (t instanceof float[] tf) {
        float[] ef = (float[]) eta;
        float[] sf = (float[]) slope;
        float[] out = (float[]) sums;
        float[] u = (float[]) Scratch.array(Scratch.EXPONENTIALS, sf, sf.length); // e^−|η|, indexed like η
        int lo = from * dims;
        int hi = to * dims;
        for (int i = lo; i < hi; i++) {
          u[i] = SpecialFunctions.expOfNonPositive(-Math.abs(ef[i]));
        }
        for (int i = lo; i < hi; i++) { // vectorised: float arithmetic only, every array at index i
          sf[i] = tf[i] * ef[i] - (Math.max(ef[i], 0f) + SpecialFunctions.log1pOfExpInFloat(u[i]));
        }
        for (int r = from; r < to; r++) {
          double sum = 0;
          for (int i = r * dims; i < (r + 1) * dims; i++) {
            sum += sf[i];
          }
          out[r] = (float) sum;
        }
        for (int i = lo; i < hi; i++) { // vectorised, the sigmoid's choice included
          sf[i] = tf[i] - SpecialFunctions.sigmoidFromExp(ef[i], u[i]);
        }
      } else {
        double[] td = (double[]) t;
        double[] ed = (double[]) eta;
        double[] sd = (double[]) slope;
        double[] out = (double[]) sums;
        for (int r = from; r < to; r++) {
          double sum = 0;
          for (int i = r * dims; i < (r + 1) * dims; i++) {
            double u = Math.exp(-Math.abs(ed[i]));
            sum += td[i] * ed[i] - (Math.max(ed[i], 0.0) + Math.log1p(u));
            sd[i] = td[i] - SpecialFunctions.sigmoidFromExp(ed[i], u);
          }
          out[r] = sum;
        }
      }
    });
  }

  /** The numbers of one Adam / AdamW step: rate, decays, epsilon, weight decay and the step, from 1. */
  record AdamStep(double lr, double beta1, double beta2, double eps, double weightDecay, long step) {}

  /**
   * One Adam / AdamW step in place: m = β1 m + (1 − β1) g, v = β2 v + (1 − β2) g², then
   * p −= lr (m̂ / (√v̂ + ε) + wd p) with m̂, v̂ bias-corrected; in the arrays' dtype, which for
   * float32 keeps the loop vectorised.
   */
  static void adam(Object param, Object grad, Object m, Object v, AdamStep a) {
    double correction1 = 1 - Math.pow(a.beta1(), a.step());
    double correction2 = 1 - Math.pow(a.beta2(), a.step());
    int n = java.lang.reflect.Array.getLength(param);
    Parallel.forRange(n, 4, (from, to) -> {
      if (param instanceof float[] p) {
        float[] g = (float[]) grad;
        float[] first = (float[]) m;
        float[] second = (float[]) v;
        float beta1 = (float) a.beta1();
        float beta2 = (float) a.beta2();
        float keep1 = (float) (1 - a.beta1());
        float keep2 = (float) (1 - a.beta2());
        float unbias1 = (float) (1 / correction1);
        float unbias2 = (float) (1 / Math.sqrt(correction2));
        float eps = (float) a.eps();
        float lr = (float) a.lr();
        float decay = (float) (1 - a.lr() * a.weightDecay());
        for (int i = from; i < to; i++) {
          float mi = beta1 * first[i] + keep1 * g[i];
          float vi = beta2 * second[i] + keep2 * g[i] * g[i];
          first[i] = mi;
          second[i] = vi;
          p[i] = decay * p[i] - lr * (mi * unbias1) / ((float) Math.sqrt(vi) * unbias2 + eps);
        }
      } else {
        double[] p = (double[]) param;
        double[] g = (double[]) grad;
        double[] first = (double[]) m;
        double[] second = (double[]) v;
        for (int i = from; i < to; i++) {
          first[i] = a.beta1() * first[i] + (1 - a.beta1()) * g[i];
          second[i] = a.beta2() * second[i] + (1 - a.beta2()) * g[i] * g[i];
          double update = (first[i] / correction1) / (Math.sqrt(second[i] / correction2) + a.eps());
          p[i] -= a.lr() * (update + a.weightDecay() * p[i]);
        }
      }
    });
  }
}
