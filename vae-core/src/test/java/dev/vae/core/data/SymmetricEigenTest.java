package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.backend.Philox;
import org.junit.jupiter.api.Test;

/** The Jacobi eigendecomposition reconstructs its input. */
class SymmetricEigenTest {
  @Test
  void decomposesARandomSymmetricMatrix() {
    int n = 7;
    double[] r = new double[n * n];
    Philox.normals(3, 0, r);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = r[i * n + j] + r[j * n + i];
      }
    }
    SymmetricEigen.Result e = SymmetricEigen.decompose(a);
    double[] lambda = e.values();
    double[][] v = e.vectors();
    double trace = 0;
    for (int k = 0; k < n; k++) {
      trace += a[k][k];
      if (k > 0) {
        assertThat(lambda[k]).isLessThanOrEqualTo(lambda[k - 1]);
      }
      for (int i = 0; i < n; i++) {
        double av = 0;
        for (int j = 0; j < n; j++) {
          av += a[i][j] * v[j][k];
        }
        assertThat(av).isCloseTo(lambda[k] * v[i][k], within(1e-10));
      }
      for (int l = 0; l < n; l++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += v[i][k] * v[i][l];
        }
        assertThat(dot).isCloseTo(k == l ? 1 : 0, within(1e-12));
      }
    }
    assertThat(java.util.Arrays.stream(lambda).sum()).isCloseTo(trace, within(1e-10));
  }

  @Test
  void sortsADiagonalMatrixAndKeepsRepeatedEigenvalues() {
    double[][] d = {{1, 0, 0}, {0, 5, 0}, {0, 0, 1}};
    assertThat(SymmetricEigen.values(d)).containsExactly(5, 1, 1);
    double[][] two = {{2, 1}, {1, 2}};
    assertThat(SymmetricEigen.values(two)[0]).isCloseTo(3, within(1e-14));
    assertThat(SymmetricEigen.values(two)[1]).isCloseTo(1, within(1e-14));
  }
}
