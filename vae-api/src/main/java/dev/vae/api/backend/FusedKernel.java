package dev.vae.api.backend;

/**
 * Marker for optional fused operations a backend may offer as a capability (see
 * {@link Backend#fused}). Each kind is a nested interface naming one kernel; the core keeps its
 * reference composition of primitives (package {@code dev.vae.core.kernel}), runs it where a
 * backend has no implementation, and its kernel contract suite checks every implementation a
 * backend offers against it. Tensor code calls a kernel through
 * {@link dev.vae.api.TensorFactory#kernel}. Adding a kernel touches its interface here, its
 * composition in the core and the backends that implement it. Two interfaces are not kernels of
 * their own: {@link SoftplusWithSlope} is a second implementation of {@link Softplus}, used when the
 * result needs a gradient, and {@link AdamUpdate} is the optimizer's in-place step, which the
 * backend contract suite checks.
 */
public interface FusedKernel {

  /** softplus(x) = log(1 + exp(x)), accurate for every x; {@code kernel(Softplus.class, x)}. */
  interface Softplus extends FusedKernel {
    NdArray softplus(NdArray x);
  }

  /**
   * softplus(x) together with its derivative sigmoid(x), for a caller that will need the gradient:
   * both follow from e^−|x| (sigmoid(x) is 1 / (1 + u) for x ≥ 0 and u / (1 + u) below, with
   * u = e^−|x|), so one pass saves the separate sigmoid that differentiating {@link Softplus} takes.
   */
  interface SoftplusWithSlope extends FusedKernel {
    /** softplus(x) and sigmoid(x), each shaped like {@code x}, as accurate as {@link Softplus} and SIGMOID. */
    ValueAndSlope softplusWithSlope(NdArray x);
  }

  /**
   * The Bernoulli log-likelihood of targets x under logits η, summed over each row of a
   * [rows, dims] batch: Σ_j x_j η_j − softplus(η_j), what binary cross-entropy with logits computes
   * (negated); with its derivative with respect to η, x − sigmoid(η), from the same pass. Through
   * {@link dev.vae.api.TensorFactory#kernel} the logits come first: {@code kernel(BernoulliLogLikelihood.class,
   * logits, x)}; the backend method takes the targets first.
   */
  interface BernoulliLogLikelihood extends FusedKernel {
    /**
     * The per-row log-likelihood ([rows]) and its slope with respect to the logits ([rows, dims]);
     * {@code x} and {@code logits} are [rows, dims] of one dtype.
     */
    ValueAndSlope bernoulliLogLikelihood(NdArray x, NdArray logits);
  }

  /**
   * A function's values and its derivative with respect to its input at the same points; the slope
   * has the input's shape (so does the value, for an elementwise function).
   */
  record ValueAndSlope(NdArray value, NdArray slope) {}

  /**
   * One Adam / AdamW update, in place on the optimizer-owned arrays {@code param}, {@code m} and
   * {@code v}: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; param -= lr (m̂ / (sqrt(v̂) + eps) + wd
   * param), with bias corrections m̂ = m / (1 - b1^step), v̂ = v / (1 - b2^step).
   */
  interface AdamUpdate extends FusedKernel {
    void adamUpdate(NdArray param, NdArray grad, NdArray m, NdArray v,
        double lr, double beta1, double beta2, double eps, double weightDecay, long step);
  }
}
