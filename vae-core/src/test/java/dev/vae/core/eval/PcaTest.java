package dev.vae.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.vae.api.backend.Philox;
import org.junit.jupiter.api.Test;

/** PCA against data whose principal axes and variances are known by construction. */
class PcaTest {
  /** Points a·u + b·v + noise with u, v orthonormal and Var(a) = 9, Var(b) = 1, noise 0.01². */
  private static float[] planeData(int n, double[] u, double[] v) {
    double[] g = new double[n * 6];
    Philox.normals(3, 0, g);
    float[] x = new float[n * 4];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) (3 * g[i * 6] * u[j] + g[i * 6 + 1] * v[j] + 0.01 * g[i * 6 + 2 + j] + 5);
      }
    }
    return x;
  }

  @Test
  void recoversKnownAxesVariancesAndReconstructions() {
    double[] u = {0.5, 0.5, 0.5, 0.5};
    double[] v = {0.5, -0.5, 0.5, -0.5};
    int n = 20000;
    float[] x = planeData(n, u, v);
    Pca pca = Pca.fit(x, n, 4, 2);
    double se = Math.sqrt(2.0 / n);
    assertThat(pca.explainedVariance()[0]).isCloseTo(9.0, offset(9 * 5 * se));
    assertThat(pca.explainedVariance()[1]).isCloseTo(1.0, offset(5 * se));
    assertThat(Math.abs(dot(pca.component(0), u))).isCloseTo(1.0, offset(1e-3));
    assertThat(Math.abs(dot(pca.component(1), v))).isCloseTo(1.0, offset(1e-3));
    assertThat(pca.explainedFraction(0) + pca.explainedFraction(1)).isCloseTo(1.0, offset(1e-3));
    // Two components explain all but the 4 · 0.01² of noise variance.
    assertThat(Evaluation.pcaSquaredError(pca, x, n, 4)).isCloseTo(2 * 1e-4, offset(1e-4));
    double[][] rows = {{5, 5, 5, 5}, {6.5, 6.5, 6.5, 6.5}};
    double[][] coordinates = pca.project(rows);
    assertThat(Math.abs(coordinates[1][0] - coordinates[0][0])).isCloseTo(3.0, offset(1e-2));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
