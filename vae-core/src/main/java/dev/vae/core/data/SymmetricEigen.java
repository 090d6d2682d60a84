package dev.vae.core.data;

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi method, in double
 * precision: plane rotations zero one off-diagonal pair at a time until the off-diagonal mass is
 * negligible. O(n³) per sweep and a handful of sweeps: meant for covariance matrices of a few
 * dozen to a few hundred dimensions.
 */
final class SymmetricEigen {
  private static final int MAX_SWEEPS = 100;

  /** Eigenvalues, largest first, and the matching unit eigenvectors as the columns of vectors. */
  record Result(double[] values, double[][] vectors) {}

  private SymmetricEigen() {}

  static Result decompose(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][];
    double scale = 0;
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException("row " + i + " has " + matrix[i].length + " entries, expected " + n);
      }
      a[i] = matrix[i].clone();
      for (int j = 0; j < n; j++) {
        if (!Double.isFinite(a[i][j])) {
          throw new IllegalArgumentException("entry (" + i + ", " + j + ") is " + a[i][j]);
        }
        if (Math.abs(a[i][j] - matrix[j][i]) > 1e-12 * (Math.abs(a[i][j]) + Math.abs(matrix[j][i]))) {
          throw new IllegalArgumentException(
              "not symmetric: (" + i + ", " + j + ") is " + a[i][j] + ", (" + j + ", " + i + ") is " + matrix[j][i]);
        }
        scale += a[i][j] * a[i][j];
      }
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    int sweep = 0;
    while (offDiagonal(a) > 1e-30 * scale) {
      if (++sweep > MAX_SWEEPS) {
        throw new IllegalStateException("Jacobi eigendecomposition did not converge in " + MAX_SWEEPS + " sweeps");
      }
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] != 0) {
            rotate(a, v, p, q);
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = a[i][i];
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
    double[] sortedValues = new double[n];
    double[][] sortedVectors = new double[n][n];
    for (int k = 0; k < n; k++) {
      sortedValues[k] = values[order[k]];
      for (int i = 0; i < n; i++) {
        sortedVectors[i][k] = v[i][order[k]];
      }
    }
    return new Result(sortedValues, sortedVectors);
  }

  /** Eigenvalues only, largest first. */
  static double[] values(double[][] matrix) {
    return decompose(matrix).values();
  }

  private static double offDiagonal(double[][] a) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        if (i != j) {
          sum += a[i][j] * a[i][j];
        }
      }
    }
    return sum;
  }

  /** A ← JᵀAJ and V ← VJ for the rotation J in plane (p, q) that zeroes a[p][q]. */
  private static void rotate(double[][] a, double[][] v, int p, int q) {
    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    if (Double.isInfinite(theta * theta)) {
      t = 0.5 / theta;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int n = a.length;
    for (int k = 0; k < n; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    a[p][q] = 0;
    a[q][p] = 0;
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }
}
