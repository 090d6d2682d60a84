package dev.vae.variants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.StandardNormalPrior;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** delta-VAE's committed rate: the variance bound and the AR(1) prior, against independent routes. */
class DeltaVaeTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  private Tensor tensor(double[] values, DType dtype, int... dims) {
    return engine.fromHost(values, Shape.of(dims), DType.FLOAT64).cast(dtype);
  }

  @Test
  void theVarianceBoundIsTheRootBelowOneOfTheKlFloor() {
    for (double delta : new double[] {1e-6, 0.01, 0.1, 0.5, 2, 10}) {
      double s = CommittedRate.maxVariance(delta);
      assertThat(s).isLessThan(1);
      assertThat(0.5 * (s - Math.log(s) - 1)).as("delta %s", delta).isCloseTo(delta, within(1e-12 * (1 + delta)));
    }
    assertThat(CommittedRate.maxVariance(0)).isEqualTo(1);
  }

  @Test
  void everyDimensionKeepsKlAtLeastDeltaForAdversarialEncoderOutputs() {
    double delta = 0.15;
    DeltaVae variant = DeltaVae.bounded(8, delta, 1e-3);
    double[] raw = {-1e30, -1e6, -80, -1, 0, 1, 80, 1e6, 1e30, Double.MAX_VALUE, -Double.MAX_VALUE, 3e-8};
    double[] means = new double[raw.length];
    Random random = new Random(3);
    for (int i = 0; i < means.length; i++) {
      means[i] = i % 3 == 0 ? 0 : random.nextGaussian() * Math.pow(10, i % 5 - 2);
    }
    for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      Tensor logVariance = variant.constrainLogVariance(tensor(raw, dtype, 1, raw.length));
      Tensor kl = new StandardNormalPrior().klFromDiagonalGaussian(tensor(means, dtype, 1, raw.length), logVariance)
          .orElseThrow();
      double tolerance = dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
      assertThat(min(kl.toDoubles())).as("%s", dtype).isGreaterThanOrEqualTo(delta - tolerance);
      assertThat(min(logVariance.toDoubles())).isGreaterThanOrEqualTo(2 * Math.log(1e-3) - 1e-5);
      assertThat(-min(logVariance.neg().toDoubles())).isLessThanOrEqualTo(Math.log(CommittedRate.maxVariance(delta))
          + 1e-6);
    }
  }

  /** log N(z; 0, Σ) with Σ_st = α^|s−t|, by Gaussian elimination on Σ itself. */
  private static double denseLogDensity(double[] z, double alpha) {
    int d = z.length;
    double[][] a = new double[d][d + 1];
    for (int s = 0; s < d; s++) {
      for (int t = 0; t < d; t++) {
        a[s][t] = Math.pow(alpha, Math.abs(s - t));
      }
      a[s][d] = z[s];
    }
    double logDet = 0;
    for (int c = 0; c < d; c++) {
      logDet += Math.log(a[c][c]);
      for (int r = c + 1; r < d; r++) {
        double f = a[r][c] / a[c][c];
        for (int k = c; k <= d; k++) {
          a[r][k] -= f * a[c][k];
        }
      }
    }
    double[] solution = new double[d];
    for (int r = d - 1; r >= 0; r--) {
      double v = a[r][d];
      for (int k = r + 1; k < d; k++) {
        v -= a[r][k] * solution[k];
      }
      solution[r] = v / a[r][r];
    }
    double quadratic = 0;
    for (int s = 0; s < d; s++) {
      quadratic += z[s] * solution[s];
    }
    return -0.5 * (d * Math.log(2 * Math.PI) + logDet + quadratic);
  }

  @Test
  void ar1LogDensityMatchesTheDenseMultivariateNormal() {
    double alpha = 0.8;
    Ar1Prior prior = new Ar1Prior(alpha);
    Random random = new Random(11);
    int d = 5;
    double[] z = new double[3 * d];
    for (int i = 0; i < z.length; i++) {
      z[i] = 1.5 * random.nextGaussian();
    }
    double[] got = prior.logProb(tensor(z, DType.FLOAT64, 3, d)).toDoubles();
    for (int i = 0; i < 3; i++) {
      assertThat(got[i]).isCloseTo(denseLogDensity(java.util.Arrays.copyOfRange(z, i * d, (i + 1) * d), alpha),
          within(1e-10));
    }
  }

  @Test
  void ar1SamplesHaveTheAr1Covariance() {
    double alpha = 0.7;
    int n = 40_000;
    int d = 4;
    double[] z = new Ar1Prior(alpha).sample(n, d, engine, DType.FLOAT64, new Rng(5)).toDoubles();
    for (int s = 0; s < d; s++) {
      for (int t = 0; t < d; t++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += z[i * d + s] * z[i * d + t];
        }
        // Standard error of a sample covariance of unit-variance normals is at most sqrt(2 / n) ≈ 0.007.
        assertThat(sum / n).as("Cov(z_%d, z_%d)", s, t).isCloseTo(Math.pow(alpha, Math.abs(s - t)), within(0.035));
      }
    }
  }

  @Test
  void ar1ClosedFormKlMatchesMonteCarlo() {
    double alpha = 0.6;
    int d = 3;
    double[] mean = {0.4, -1.0, 0.3};
    double[] logVariance = {-0.5, 0.2, -1.5};
    Ar1Prior prior = new Ar1Prior(alpha);
    double closedForm = prior.klFromDiagonalGaussian(tensor(mean, DType.FLOAT64, 1, d),
        tensor(logVariance, DType.FLOAT64, 1, d)).orElseThrow().sum().item();
    int n = 200_000;
    Random random = new Random(17);
    double[] z = new double[n * d];
    double logQ = 0;
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        double eps = random.nextGaussian();
        z[i * d + t] = mean[t] + Math.exp(0.5 * logVariance[t]) * eps;
        logQ += -0.5 * (Math.log(2 * Math.PI) + logVariance[t] + eps * eps);
      }
    }
    double logP = prior.logProb(tensor(z, DType.FLOAT64, n, d)).sum().item();
    // The Monte Carlo standard error here is about 0.004 nats.
    assertThat(closedForm).isCloseTo((logQ - logP) / n, within(0.02));
  }

  @Test
  void ar1KlNeverFallsBelowItsFloorAndReachesIt() {
    double alpha = 0.9;
    int d = 6;
    Ar1Prior prior = new Ar1Prior(alpha);
    double floor = prior.klFloor(d);
    assertThat(floor).isPositive();
    Random random = new Random(23);
    double[] mean = new double[200 * d];
    double[] logVariance = new double[200 * d];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = random.nextGaussian() * (i % 2 == 0 ? 0.01 : 1);
      logVariance[i] = random.nextGaussian() * 2;
    }
    double[] kl = prior.klFromDiagonalGaussian(tensor(mean, DType.FLOAT64, 200, d),
        tensor(logVariance, DType.FLOAT64, 200, d)).orElseThrow().sum(false, 1).toDoubles();
    assertThat(min(kl)).isGreaterThanOrEqualTo(floor - 1e-12);
    // Coordinate descent on the log-variances from a poor start finds the floor too.
    double[] lv = new double[d];
    java.util.Arrays.fill(lv, 1.0);
    double best = Double.POSITIVE_INFINITY;
    for (int sweep = 0; sweep < 60; sweep++) {
      for (int t = 0; t < d; t++) {
        double lo = -10;
        double hi = 5;
        for (int i = 0; i < 100; i++) {
          double m1 = lo + (hi - lo) / 3;
          double m2 = hi - (hi - lo) / 3;
          lv[t] = m1;
          double f1 = totalKl(prior, lv);
          lv[t] = m2;
          double f2 = totalKl(prior, lv);
          if (f1 < f2) {
            hi = m2;
          } else {
            lo = m1;
          }
        }
        lv[t] = 0.5 * (lo + hi);
        best = totalKl(prior, lv);
      }
    }
    assertThat(best).isCloseTo(floor, within(1e-8));
  }

  private static double min(double[] values) {
    return java.util.Arrays.stream(values).min().orElseThrow();
  }

  private double totalKl(Ar1Prior prior, double[] logVariance) {
    int d = logVariance.length;
    return prior.klFromDiagonalGaussian(tensor(new double[d], DType.FLOAT64, 1, d),
        tensor(logVariance, DType.FLOAT64, 1, d)).orElseThrow().sum().item();
  }
}
