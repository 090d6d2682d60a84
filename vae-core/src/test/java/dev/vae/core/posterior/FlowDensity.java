package dev.vae.core.posterior;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The density of a two-dimensional flow's output integrated over a grid, from the map f and its
 * log|det J| alone: q(z) = N(f⁻¹(z); 0, I) / |det J(f⁻¹(z))|, f inverted by Newton's method with a
 * numerical Jacobian. A log-determinant that is not the map's makes the integral miss 1.
 */
final class FlowDensity {
  private FlowDensity() {}

  /** ∫ q(z) dz over [−half, half]² by the midpoint rule on cells × cells squares. */
  static double integral(UnaryOperator<double[]> map, ToDoubleFunction<double[]> logDeterminant, double half,
      int cells) {
    double width = 2 * half / cells;
    double total = 0;
    for (int a = 0; a < cells; a++) {
      for (int c = 0; c < cells; c++) {
        double[] target = {-half + (a + 0.5) * width, -half + (c + 0.5) * width};
        double[] z0 = invert(map, target);
        double base = Math.exp(-0.5 * (z0[0] * z0[0] + z0[1] * z0[1])) / (2 * Math.PI);
        total += base * Math.exp(-logDeterminant.applyAsDouble(z0)) * width * width;
      }
    }
    return total;
  }

  /** The z₀ that {@code map} takes to {@code target}. */
  static double[] invert(UnaryOperator<double[]> map, double[] target) {
    double[] z = target.clone();
    double h = 1e-6;
    for (int iteration = 0; iteration < 60; iteration++) {
      double[] f = map.apply(z);
      double[] r = {f[0] - target[0], f[1] - target[1]};
      if (Math.abs(r[0]) + Math.abs(r[1]) < 1e-11) {
        return z;
      }
      double[][] j = new double[2][2];
      for (int k = 0; k < 2; k++) {
        double[] plus = z.clone();
        plus[k] += h;
        double[] fp = map.apply(plus);
        j[0][k] = (fp[0] - f[0]) / h;
        j[1][k] = (fp[1] - f[1]) / h;
      }
      double det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
      z[0] -= (j[1][1] * r[0] - j[0][1] * r[1]) / det;
      z[1] -= (-j[1][0] * r[0] + j[0][0] * r[1]) / det;
    }
    throw new AssertionError("Newton's method did not invert the flow at " + Arrays.toString(target));
  }

  /** The numerical Jacobian of {@code map} at z, by central differences. */
  static double[][] jacobian(UnaryOperator<double[]> map, double[] z) {
    double h = 1e-6;
    double[][] jacobian = new double[z.length][z.length];
    for (int j = 0; j < z.length; j++) {
      double[] plus = z.clone();
      double[] minus = z.clone();
      plus[j] += h;
      minus[j] -= h;
      double[] fp = map.apply(plus);
      double[] fm = map.apply(minus);
      for (int i = 0; i < z.length; i++) {
        jacobian[i][j] = (fp[i] - fm[i]) / (2 * h);
      }
    }
    return jacobian;
  }

  /** log|det A| by Gaussian elimination with partial pivoting. */
  static double logAbsDeterminant(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = matrix[i].clone();
    }
    double sum = 0;
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] swap = a[c];
      a[c] = a[pivot];
      a[pivot] = swap;
      sum += Math.log(Math.abs(a[c][c]));
      for (int r = c + 1; r < n; r++) {
        double factor = a[r][c] / a[c][c];
        for (int k = c; k < n; k++) {
          a[r][k] -= factor * a[c][k];
        }
      }
    }
    return sum;
  }
}
