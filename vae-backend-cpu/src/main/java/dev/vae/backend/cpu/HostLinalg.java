package dev.vae.backend.cpu;

import dev.vae.api.Shape;

/**
 * Cholesky factorization and triangular solves in double precision on the host, one matrix of the
 * batch after another. ND4J's own cholesky op does not fit the contract: it fails with a bare "Op
 * [cholesky] execution failed" that names no matrix of the batch, returns NaN without complaint for
 * an input holding NaN, requires the whole matrix to be symmetric (the contract reads only the lower
 * triangle), and rejects positive-definite matrices with tiny pivots such as diag(1, 1e-30). So
 * these run here: the matrices of a VAE (posterior and likelihood covariances) are small, where a
 * plain O(n³) loop over a row-major buffer is as fast as a call into native code.
 */
final class HostLinalg {
  private HostLinalg() {}

  /**
   * The lower Cholesky factor of each n x n matrix of {@code a} (row-major, batch-major), reading
   * only the lower triangle and writing zeros above the diagonal.
   *
   * @throws IllegalArgumentException for the first matrix with a pivot that is not {@code > 0}
   *     (NaN included), naming its batch index
   */
  static double[] cholesky(double[] a, int n, Shape shape) {
    double[] out = new double[a.length];
    int batches = n == 0 ? 0 : a.length / (n * n);
    for (int batch = 0; batch < batches; batch++) {
      int base = batch * n * n;
      for (int j = 0; j < n; j++) {
        int rowJ = base + j * n;
        double pivot = a[rowJ + j];
        for (int p = 0; p < j; p++) {
          pivot -= out[rowJ + p] * out[rowJ + p];
        }
        if (!(pivot > 0)) {
          throw new IllegalArgumentException("CHOLESKY: the matrix at batch index " + batch + " of shape "
              + shape + " is not positive definite (pivot " + j + " is " + pivot + ")");
        }
        double diagonal = Math.sqrt(pivot);
        out[rowJ + j] = diagonal;
        for (int i = j + 1; i < n; i++) {
          int rowI = base + i * n;
          double sum = a[rowI + j];
          for (int p = 0; p < j; p++) {
            sum -= out[rowI + p] * out[rowJ + p];
          }
          out[rowI + j] = sum / diagonal;
        }
      }
    }
    return out;
  }

  /**
   * X with op(A) X = B for each matrix of the batch: A is n x n and triangular ({@code lower} or
   * upper; only that triangle is read), B and X are n x k. A zero on the diagonal gives infinities
   * or NaN, not an error.
   */
  static double[] triangularSolve(double[] a, double[] b, int n, int k, boolean lower, boolean transposeA) {
    double[] x = b.clone();
    int batches = n * k == 0 ? 0 : b.length / (n * k);
    // op(A) is lower triangular when A is lower and not transposed, or upper and transposed.
    boolean forward = lower != transposeA;
    // op(A)[i][p] sits at a[i * rowStride + p * colStride].
    int rowStride = transposeA ? 1 : n;
    int colStride = transposeA ? n : 1;
    for (int batch = 0; batch < batches; batch++) {
      int aBase = batch * n * n;
      int xBase = batch * n * k;
      for (int step = 0; step < n; step++) {
        int i = forward ? step : n - 1 - step;
        int xi = xBase + i * k;
        // Row i of X: subtract op(A)[i][p] * X[p] for the rows already solved, then divide.
        for (int other = 0; other < step; other++) {
          int p = forward ? other : n - 1 - other;
          double coefficient = a[aBase + i * rowStride + p * colStride];
          int xp = xBase + p * k;
          for (int col = 0; col < k; col++) {
            x[xi + col] -= coefficient * x[xp + col];
          }
        }
        double diagonal = a[aBase + i * n + i];
        for (int col = 0; col < k; col++) {
          x[xi + col] /= diagonal;
        }
      }
    }
    return x;
  }
}
