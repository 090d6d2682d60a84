package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.Rng;
import org.junit.jupiter.api.Test;

/** The closed-form pPCA maximum likelihood against independent computations. */
class PpcaModelTest {
  private static final double LN_2PI = Math.log(2 * Math.PI);

  /**
   * 2m points mu ± a_i e_i: the sample mean is mu and the sample covariance exactly diag(a_i² / m)
   * (all values are exact in float32), so every pPCA quantity is known by hand.
   */
  private static DataSet diagonalData(float[] mu, float[] a) {
    int m = mu.length;
    float[] v = new float[2 * m * m];
    for (int i = 0; i < m; i++) {
      for (int s = 0; s < 2; s++) {
        int row = 2 * i + s;
        System.arraycopy(mu, 0, v, row * m, m);
        v[row * m + i] += s == 0 ? a[i] : -a[i];
      }
    }
    return DataSet.of("diagonal", v, m);
  }

  @Test
  void diagonalCovarianceGivesTheHandComputedMaximum() {
    // m = 4; a = (1, 4, 0.5, 2) gives eigenvalues a²/4 = (0.25, 4, 0.0625, 1), deliberately unsorted.
    DataSet data = diagonalData(new float[] {0.5f, -1f, 2f, 0.25f}, new float[] {1f, 4f, 0.5f, 2f});
    double sigma2 = (0.25 + 0.0625) / 2; // the two smallest, discarded with d = 2
    double expected = -2 * LN_2PI - 0.5 * (Math.log(4) + Math.log(1) + 2 * Math.log(sigma2)) - 2;
    assertThat(PpcaModel.maximumAverageLogLikelihood(data, 2)).isCloseTo(expected, within(1e-12));

    PpcaModel ml = PpcaModel.maximumLikelihood(data, 2);
    assertThat(ml.sigma() * ml.sigma()).isCloseTo(sigma2, within(1e-12));
    assertThat(ml.mu()).containsExactly(0.5, -1, 2, 0.25);
    // W's columns lie along e_1 and e_3 (0-based 1 and 3), with lengths sqrt(lambda - sigma²).
    double[][] w = ml.w();
    assertThat(Math.abs(w[1][0])).isCloseTo(Math.sqrt(4 - sigma2), within(1e-12));
    assertThat(Math.abs(w[3][1])).isCloseTo(Math.sqrt(1 - sigma2), within(1e-12));
    assertThat(w[0][0]).isCloseTo(0, within(1e-12));
    assertThat(w[2][1]).isCloseTo(0, within(1e-12));
    // Evaluated point by point through a Cholesky factor, the ML model gives the same number.
    assertThat(ml.averageLogLikelihood(data)).isCloseTo(expected, within(1e-12));

    double allNoise = -2 * LN_2PI - 2 * Math.log((0.25 + 4 + 0.0625 + 1) / 4) - 2;
    assertThat(PpcaModel.maximumAverageLogLikelihood(data, 0)).isCloseTo(allNoise, within(1e-12));
  }

  @Test
  void twoDimensionalDataMatchesTheQuadraticFormulaForEigenvalues() {
    DataSet data = SyntheticData.gaussianMixture(
        3000, new double[][] {{0, 0}, {2, 1}}, new double[] {1, 0.3}, new Rng(4)).data();
    // Sample covariance and its eigenvalues, computed here without the library's code.
    int n = data.size();
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += data.get(i, 0);
      my += data.get(i, 1);
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      double dx = data.get(i, 0) - mx;
      double dy = data.get(i, 1) - my;
      sxx += dx * dx / n;
      syy += dy * dy / n;
      sxy += dx * dy / n;
    }
    double half = (sxx + syy) / 2;
    double root = Math.sqrt(half * half - (sxx * syy - sxy * sxy));
    double big = half + root;
    double small = half - root;
    double expected = -LN_2PI - 0.5 * (Math.log(big) + Math.log(small)) - 1;
    assertThat(PpcaModel.maximumAverageLogLikelihood(data, 1)).isCloseTo(expected, within(1e-10));
    assertThat(PpcaModel.maximumLikelihood(data, 1).averageLogLikelihood(data)).isCloseTo(expected, within(1e-10));
  }

  @Test
  void theMaximumIsAMaximum() {
    SyntheticData.PpcaData p = SyntheticData.ppca(4000, 6, 2, 0.4, new Rng(17));
    DataSet data = p.data();
    double max = PpcaModel.maximumAverageLogLikelihood(data, 2);
    PpcaModel ml = PpcaModel.maximumLikelihood(data, 2);
    assertThat(ml.averageLogLikelihood(data)).isCloseTo(max, within(1e-9));
    assertThat(p.model().averageLogLikelihood(data)).isLessThan(max);
    // Moving any parameter of the ML model away lowers the likelihood.
    double[][] w = ml.w();
    double[] mu = ml.mu();
    for (double f : new double[] {0.97, 1.03}) {
      double[][] scaled = ml.w();
      for (double[] row : scaled) {
        for (int k = 0; k < row.length; k++) {
          row[k] *= f;
        }
      }
      assertThat(new PpcaModel(scaled, mu, ml.sigma()).averageLogLikelihood(data)).isLessThan(max);
      assertThat(new PpcaModel(w, mu, ml.sigma() * f).averageLogLikelihood(data)).isLessThan(max);
    }
    double[] shifted = ml.mu();
    shifted[3] += 0.01;
    assertThat(new PpcaModel(w, shifted, ml.sigma()).averageLogLikelihood(data)).isLessThan(max);
    // A larger latent dimension can only fit better.
    assertThat(PpcaModel.maximumAverageLogLikelihood(data, 3)).isGreaterThanOrEqualTo(max);
    assertThat(PpcaModel.maximumAverageLogLikelihood(data, 1)).isLessThan(max);
    // With this much data the ML noise is close to the true one.
    assertThat(ml.sigma() * ml.sigma()).isCloseTo(0.16, within(0.16 * 0.05));
  }

  @Test
  void theTrueModelsAverageLogDensityMatchesItsExpectation() {
    // E log N(x; mu, C) = -(m/2) ln 2π - ½ ln|C| - m/2; the quadratic term is χ²_m / 2, sd sqrt(m/2).
    int n = 20_000;
    int m = 4;
    double[][] w = {{1.0}, {0.5}, {-0.5}, {0.0}};
    PpcaModel model = new PpcaModel(w, new double[] {1, 2, 3, 4}, 0.5);
    DataSet data = model.sample(n, new Rng(6));
    // C = w wᵀ + 0.25 I: by the matrix determinant lemma |C| = 0.25^4 (1 + |w|² / 0.25).
    double logDet = 4 * Math.log(0.25) + Math.log(1 + 1.5 / 0.25);
    double expected = -0.5 * m * LN_2PI - 0.5 * logDet - 0.5 * m;
    assertThat(Math.abs(model.averageLogLikelihood(data) - expected)).isLessThan(5 * Math.sqrt(m / 2.0 / n));
  }

  @Test
  void rejectsImpossibleModelsAndData() {
    assertThatThrownBy(() -> new PpcaModel(new double[][] {{1, 2}, {3, 4}}, new double[] {0, 0}, 1))
        .hasMessageContaining("latent dimension 2 must be below the data dimension 2");
    assertThatThrownBy(() -> new PpcaModel(new double[][] {{1}, {3}}, new double[] {0, 0}, 0))
        .hasMessageContaining("sigma must be positive");
    DataSet flat = DataSet.of("flat", new float[] {1, 0, 2, 0, 3, 0}, 2);
    assertThatThrownBy(() -> PpcaModel.maximumAverageLogLikelihood(flat, 1))
        .hasMessageContaining("no variance outside its first 1 principal directions");
    assertThatThrownBy(() -> PpcaModel.maximumLikelihood(flat, 2)).hasMessageContaining("latent dimension");
  }
}
