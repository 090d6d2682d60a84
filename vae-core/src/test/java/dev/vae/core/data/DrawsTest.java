package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.Rng;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The samplers behind the synthetic data: moments, probabilities and stream bookkeeping. */
class DrawsTest {
  private static final int N = 20_000;
  private static final double Z = 5;

  private static double[] gammas(double shape, long seed) {
    Draws d = new Draws(new Rng(seed));
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = d.gamma(shape);
    }
    return x;
  }

  private static double[] poissons(double mean, long seed) {
    Draws d = new Draws(new Rng(seed));
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = d.poisson(mean);
    }
    return x;
  }

  private static void assertMeanAndVariance(double[] x, double mean, double variance) {
    assertThat(Math.abs(Moments.mean(x) - mean)).isLessThan(Z * Math.sqrt(variance / x.length));
    assertThat(Math.abs(Moments.variance(x) - variance)).isLessThan(Z * Moments.varianceError(x));
  }

  private static void assertFrequency(double[] x, double value, double p) {
    long hits = java.util.Arrays.stream(x).filter(v -> v == value).count();
    assertThat(Math.abs(hits - p * x.length)).as("count of %s", value)
        .isLessThan(Z * Math.sqrt(x.length * p * (1 - p)));
  }

  @Test
  void gammaHasMeanAndVarianceEqualToItsShape() {
    for (double shape : new double[] {0.4, 2.5, 30}) {
      assertMeanAndVariance(gammas(shape, 1), shape, shape);
    }
  }

  @Test
  void poissonHasItsMeanVarianceAndPointProbabilities() {
    for (double mean : new double[] {0.7, 4, 30, 800}) {
      double[] x = poissons(mean, 2);
      assertMeanAndVariance(x, mean, mean);
      int k = (int) Math.floor(mean);
      double pk = Math.exp(-mean + k * Math.log(mean) - logFactorial(k));
      assertFrequency(x, k, pk);
    }
    assertFrequency(poissons(4, 3), 0, Math.exp(-4));
  }

  @Test
  void poissonPassesAChiSquareGoodnessOfFitTest() {
    for (double mean : new double[] {3, 30, 800}) {
      double[] x = poissons(mean, 5);
      double sd = Math.sqrt(mean);
      int lo = (int) Math.max(0, Math.floor(mean - 3 * sd));
      int hi = (int) Math.ceil(mean + 3 * sd);
      // bins: (-inf, lo], lo+1, ..., hi-1, [hi, inf)
      int bins = hi - lo + 1;
      double[] observed = new double[bins];
      for (double v : x) {
        int b = (int) Math.min(Math.max(v, lo), hi) - lo;
        observed[b]++;
      }
      double[] p = new double[bins];
      double inner = 0;
      for (int k = lo + 1; k < hi; k++) {
        p[k - lo] = Math.exp(-mean + k * Math.log(mean) - logFactorial(k));
        inner += p[k - lo];
      }
      double below = 0;
      for (int k = 0; k <= lo; k++) {
        below += Math.exp(-mean + k * Math.log(mean) - logFactorial(k));
      }
      p[0] = below;
      p[bins - 1] = 1 - below - inner;
      double chi2 = 0;
      for (int b = 0; b < bins; b++) {
        double e = p[b] * x.length;
        chi2 += (observed[b] - e) * (observed[b] - e) / e;
      }
      int df = bins - 1;
      // Wilson-Hilferty upper quantile of chi2_df at probability 1e-5 (z = 4.265)
      double h = 2.0 / (9 * df);
      double limit = df * Math.pow(1 - h + 4.265 * Math.sqrt(h), 3);
      assertThat(chi2).as("chi-square for mean %s with %d dof", mean, df).isLessThan(limit);
    }
  }

  @Test
  void negativeBinomialHasMeanPlusMeanSquaredOverRVariance() {
    double[][] cases = {{5, 2}, {200, 5}, {0.3, 0.5}};
    for (double[] c : cases) {
      double mean = c[0];
      double r = c[1];
      Draws d = new Draws(new Rng(4));
      double[] x = new double[N];
      for (int i = 0; i < N; i++) {
        x[i] = d.negativeBinomial(mean, r);
      }
      assertMeanAndVariance(x, mean, mean + mean * mean / r);
      assertFrequency(x, 0, Math.pow(r / (r + mean), r));
    }
  }

  /** log k!, summed term by term. */
  private static double logFactorial(int k) {
    double sum = 0;
    for (int i = 2; i <= k; i++) {
      sum += Math.log(i);
    }
    return sum;
  }

  @Test
  void permutationsAreUniform() {
    // All 24 orders of 4 items, 24,000 draws: chi-square with 23 degrees of freedom.
    Rng rng = new Rng(9);
    Map<String, Integer> counts = new HashMap<>();
    int draws = 24_000;
    for (int i = 0; i < draws; i++) {
      counts.merge(java.util.Arrays.toString(Draws.permutation(4, rng)), 1, Integer::sum);
    }
    assertThat(counts).hasSize(24);
    double expected = draws / 24.0;
    double chi2 = 0;
    for (int c : counts.values()) {
      chi2 += (c - expected) * (c - expected) / expected;
    }
    // P(chi2_23 > 60) is about 4e-5.
    assertThat(chi2).isLessThan(60);
    assertThat(rng.offset()).isEqualTo(3L * draws);
  }

  @Test
  void uniformsAndNormalsNeverShareStreamElements() {
    Rng rng = new Rng(1);
    Draws d = new Draws(rng);
    d.uniform();
    assertThat(rng.offset()).isEqualTo(1);
    d.normal();
    // skipped element 1 so that the normal's Box-Muller pair (2, 3) is its own
    assertThat(rng.offset()).isEqualTo(4);
    d.uniform();
    d.normals(new double[3]);
    // aligned to 6, and the odd count keeps the whole last pair: 6..9
    assertThat(rng.offset()).isEqualTo(10);
  }
}
