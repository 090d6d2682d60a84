package dev.vae.api.testkit;

import dev.vae.api.DType;

/**
 * How far a backend's result may be from the reference's: element i passes when
 * {@code |actual - expected| <= atol + rtol * max(|expected|, scale_i)}, where {@code scale_i} is a
 * magnitude the check supplies for ops whose error grows with their terms (the sum of |terms| for
 * sums and matrix products, the largest |element| for factorizations), else 0. NaN must meet NaN
 * and an infinity the same infinity. Sign of zero is not checked.
 *
 * <p>The values, per dtype (float64 / float32):
 * <table>
 *   <caption>Tolerances of the contract suite</caption>
 *   <tr><th>kind</th><th>float64 rtol, atol</th><th>float32 rtol, atol</th><th>used for</th></tr>
 *   <tr><td>{@link #exact}</td><td>0, 0</td><td>0, 0</td>
 *       <td>transfers, casts, movement, max, uniform random numbers</td></tr>
 *   <tr><td>{@link #elementwise}</td><td>1e-12, 1e-14</td><td>1e-5, 1e-6</td>
 *       <td>unary, binary, compare and select ops</td></tr>
 *   <tr><td>{@link #special}</td><td>1e-10, 1e-12</td><td>1e-4, 1e-5</td>
 *       <td>LGAMMA, DIGAMMA, TRIGAMMA (atol covers their zeros)</td></tr>
 *   <tr><td>{@link #accumulating}</td><td>1e-12, 1e-14</td><td>1e-5, 1e-6</td>
 *       <td>SUM, MATMUL, SCATTER_ADD, fused kernels; scale = Σ|terms|</td></tr>
 *   <tr><td>{@link #linearAlgebra}</td><td>1e-10, 1e-12</td><td>1e-4, 1e-5</td>
 *       <td>CHOLESKY, TRIANGULAR_SOLVE and their reconstructions; scale = max |element|</td></tr>
 *   <tr><td>{@link #normalStream}</td><td>1e-13, 1e-13</td><td>1e-6, 1e-6</td>
 *       <td>RANDOM_NORMAL against Philox's definition (libm's log, sqrt, cos differ in the last bits)</td></tr>
 * </table>
 */
public record Tolerance(double rtol, double atol) {
  /** Bit-for-bit equality (NaN matching NaN). */
  public static Tolerance exact() {
    return new Tolerance(0, 0);
  }

  /** Elementwise arithmetic and elementary functions. */
  public static Tolerance elementwise(DType dtype) {
    return dtype == DType.FLOAT64 ? new Tolerance(1e-12, 1e-14) : new Tolerance(1e-5, 1e-6);
  }

  /** Log-gamma, digamma and trigamma. */
  public static Tolerance special(DType dtype) {
    return dtype == DType.FLOAT64 ? new Tolerance(1e-10, 1e-12) : new Tolerance(1e-4, 1e-5);
  }

  /** Sums of many terms; pair with a scale of Σ|terms|. */
  public static Tolerance accumulating(DType dtype) {
    return dtype == DType.FLOAT64 ? new Tolerance(1e-12, 1e-14) : new Tolerance(1e-5, 1e-6);
  }

  /** Factorizations and solves of well-conditioned matrices; pair with a scale of max |element|. */
  public static Tolerance linearAlgebra(DType dtype) {
    return dtype == DType.FLOAT64 ? new Tolerance(1e-10, 1e-12) : new Tolerance(1e-4, 1e-5);
  }

  /** Normal random numbers against {@link dev.vae.api.backend.Philox#normal} computed on the host. */
  public static Tolerance normalStream(DType dtype) {
    return dtype == DType.FLOAT64 ? new Tolerance(1e-13, 1e-13) : new Tolerance(1e-6, 1e-6);
  }

  /** True if {@code actual} is close enough to {@code expected}, given a magnitude {@code scale}. */
  public boolean accepts(double actual, double expected, double scale) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual);
    }
    if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
      return actual == expected;
    }
    return Math.abs(actual - expected) <= atol + rtol * Math.max(Math.abs(expected), scale);
  }

  @Override
  public String toString() {
    return "rtol " + rtol + ", atol " + atol;
  }
}
