package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.Rng;
import org.junit.jupiter.api.Test;

/** Synthetic data sets have the moments their generating processes imply. */
class SyntheticDataTest {
  private static final double Z = 5; // standard errors allowed

  @Test
  void ringHasTheMomentsOfZOverTenPlusZOverItsNorm() {
    int n = 20_000;
    DataSet ring = SyntheticData.ring(n, new Rng(1));
    assertThat(ring.features()).isEqualTo(2);
    assertThat(ring.size()).isEqualTo(n);
    double sqrtHalfPi = Math.sqrt(Math.PI / 2);
    double coordinateVariance = 0.51 + sqrtHalfPi / 10;
    for (int j = 0; j < 2; j++) {
      double[] x = Moments.column(ring, j);
      assertThat(Math.abs(Moments.mean(x))).isLessThan(Z * Math.sqrt(coordinateVariance / n));
      assertThat(Math.abs(Moments.variance(x) - coordinateVariance)).isLessThan(Z * Moments.varianceError(x));
    }
    // |x| = 1 + |z|/10 with |z| Rayleigh: 10 (|x| - 1) has mean sqrt(pi/2) and variance 2 - pi/2.
    double[] radius = new double[n];
    double[] product = new double[n];
    for (int i = 0; i < n; i++) {
      double a = ring.get(i, 0);
      double b = ring.get(i, 1);
      radius[i] = 10 * (Math.hypot(a, b) - 1);
      product[i] = a * b;
    }
    assertThat(Math.abs(Moments.mean(radius) - sqrtHalfPi)).isLessThan(Z * Math.sqrt((2 - Math.PI / 2) / n));
    assertThat(Math.abs(Moments.variance(radius) - (2 - Math.PI / 2))).isLessThan(Z * Moments.varianceError(radius));
    assertThat(java.util.Arrays.stream(radius).min().orElseThrow()).isGreaterThan(-1e-4);
    assertThat(Math.abs(Moments.mean(product))).isLessThan(Z * Moments.meanError(product));
    assertThat(SyntheticData.ring(10, new Rng(1)).toArray()).isEqualTo(SyntheticData.ring(10, new Rng(1)).toArray());
    assertThat(SyntheticData.ring(10, new Rng(2)).toArray()).isNotEqualTo(SyntheticData.ring(10, new Rng(1)).toArray());
  }

  @Test
  void gaussianMixtureComponentsHaveTheirWeightsMeansAndSpreads() {
    int n = 20_000;
    double[][] means = {{-4, 0}, {3, 3}, {0, 8}};
    double[] stds = {0.5, 1.0, 2.0};
    double[] weights = {1, 3, 6};
    SyntheticData.Mixture mix = SyntheticData.gaussianMixture(n, means, stds, weights, new Rng(5));
    assertThat(mix.weights()).containsExactly(0.1, 0.3, 0.6);
    DataSet d = mix.data();
    int[] counts = d.classCounts();
    for (int c = 0; c < 3; c++) {
      double p = mix.weights()[c];
      assertThat(Math.abs(counts[c] - n * p)).isLessThan(Z * Math.sqrt(n * p * (1 - p)));
      int component = c;
      int[] members = java.util.stream.IntStream.range(0, n).filter(i -> d.label(i) == component).toArray();
      DataSet part = d.subset(members);
      for (int j = 0; j < 2; j++) {
        double[] x = Moments.column(part, j);
        assertThat(Math.abs(Moments.mean(x) - means[c][j])).isLessThan(Z * stds[c] / Math.sqrt(x.length));
        double sd = Math.sqrt(Moments.variance(x));
        assertThat(Math.abs(sd - stds[c])).isLessThan(Z * stds[c] / Math.sqrt(2.0 * x.length));
      }
    }
    assertThatThrownBy(() -> SyntheticData.gaussianMixture(5, means, new double[] {1, 1}, new Rng(1)))
        .hasMessageContaining("same positive number");
  }

  @Test
  void randomMixtureIsSeeded() {
    SyntheticData.Mixture a = SyntheticData.randomGaussianMixture(100, 4, 3, 5.0, 0.3, new Rng(8));
    SyntheticData.Mixture b = SyntheticData.randomGaussianMixture(100, 4, 3, 5.0, 0.3, new Rng(8));
    assertThat(a.data().toArray()).isEqualTo(b.data().toArray());
    assertThat(a.means()).isDeepEqualTo(b.means());
    assertThat(a.data().features()).isEqualTo(3);
    assertThat(a.stds()).containsOnly(0.3);
  }

  @Test
  void ppcaDataHasMeanMuAndCovarianceWWTransposePlusSigmaSquared() {
    int n = 20_000;
    SyntheticData.PpcaData p = SyntheticData.ppca(n, 5, 2, 0.5, new Rng(21));
    PpcaModel model = p.model();
    assertThat(model.dataDim()).isEqualTo(5);
    assertThat(model.latentDim()).isEqualTo(2);
    assertThat(model.sigma()).isEqualTo(0.5);
    double[][] c = model.covariance();
    double[] mu = model.mu();
    double[] w0 = model.w()[0];
    assertThat(c[0][0]).isCloseTo(w0[0] * w0[0] + w0[1] * w0[1] + 0.25, org.assertj.core.data.Offset.offset(1e-12));
    DataSet d = p.data();
    double[] mean = d.featureMeans();
    for (int i = 0; i < 5; i++) {
      assertThat(Math.abs(mean[i] - mu[i])).as("mean %d", i).isLessThan(Z * Math.sqrt(c[i][i] / n));
    }
    for (int i = 0; i < 5; i++) {
      double[] xi = Moments.column(d, i);
      for (int j = 0; j <= i; j++) {
        double[] xj = Moments.column(d, j);
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += (xi[k] - mean[i]) * (xj[k] - mean[j]);
        }
        s /= n;
        double se = Math.sqrt((c[i][i] * c[j][j] + c[i][j] * c[i][j]) / n);
        assertThat(Math.abs(s - c[i][j])).as("covariance (%d, %d)", i, j).isLessThan(Z * se);
      }
    }
  }

  @Test
  void negativeBinomialCountsHaveTheirMeansAndVariances() {
    int cells = 2_000;
    int genes = 20;
    double r = 3.0;
    CountData data = SyntheticData.negativeBinomialCounts(cells, genes, 3, r, new Rng(13));
    DataSet counts = data.counts();
    assertThat(counts.size()).isEqualTo(cells);
    assertThat(counts.features()).isEqualTo(genes);
    assertThat(data.latent()[0]).hasSize(3);
    assertThat(data.dispersion()).isEqualTo(r);
    // Pooled over every count: standardised residuals have mean 0, and squared ones mean 1.
    int total = cells * genes;
    double[] z = new double[total];
    double[] z2 = new double[total];
    for (int c = 0; c < cells; c++) {
      for (int g = 0; g < genes; g++) {
        float x = counts.get(c, g);
        assertThat(x).isGreaterThanOrEqualTo(0f);
        assertThat(x).isEqualTo((float) Math.rint(x));
        double mu = data.expectedCount(c, g);
        double var = data.countVariance(c, g);
        assertThat(var).isEqualTo(mu + mu * mu / r);
        z[c * genes + g] = (x - mu) / Math.sqrt(var);
        z2[c * genes + g] = (x - mu) * (x - mu) / var;
      }
    }
    assertThat(Math.abs(Moments.mean(z))).isLessThan(Z / Math.sqrt(total));
    assertThat(Math.abs(Moments.mean(z2) - 1)).isLessThan(Z * Moments.meanError(z2));
    CountData again = SyntheticData.negativeBinomialCounts(cells, genes, 3, r, new Rng(13));
    assertThat(again.counts().toArray()).isEqualTo(counts.toArray());
  }
}
