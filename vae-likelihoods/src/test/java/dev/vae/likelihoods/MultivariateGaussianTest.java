package dev.vae.likelihoods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.plugin.LikelihoodRegistry;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The correlated Gaussians: their samples have the covariance they declare, the low-rank one's
 * Woodbury log-density agrees with the dense density in a larger dimension, and the output layout.
 */
class MultivariateGaussianTest {
  private final Engine engine = new Engine(new ReferenceBackend());
  private final MemoryScope scope = engine.scope();

  @AfterEach
  void close() {
    scope.close();
  }

  @Test
  void samplesHaveTheDeclaredMeanAndCovariance() {
    Random random = new Random(4);
    int m = 3;
    int n = 20000;
    for (String name : new String[] {"gaussian-full", "gaussian-lowrank"}) {
      Likelihood likelihood = LikelihoodRegistry.discover().create(name, m, Options.parse(
          name.equals("gaussian-lowrank") ? "rank=2" : ""));
      double[] row = new double[m * likelihood.outputsPerDimension()];
      for (int i = 0; i < row.length; i++) {
        row[i] = random.nextGaussian();
      }
      double[] raw = new double[n * row.length];
      for (int i = 0; i < n; i++) {
        System.arraycopy(row, 0, raw, i * row.length, row.length);
      }
      DecoderOutput out = new DecoderOutput(engine.fromHost(raw, Shape.of(n, row.length), DType.FLOAT64));
      double[] cov = covariance(likelihood, new DecoderOutput(engine.fromHost(row, Shape.of(1, row.length),
          DType.FLOAT64)));
      double[] xs = likelihood.sample(out, new Rng(12)).toDoubles();
      double[] mean = new double[m];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          mean[j] += xs[i * m + j] / n;
        }
      }
      for (int j = 0; j < m; j++) {
        assertThat(mean[j]).as("%s mean %d", name, j).isCloseTo(row[j], offset(5 * Math.sqrt(cov[j * m + j] / n)));
      }
      for (int a = 0; a < m; a++) {
        for (int b = 0; b < m; b++) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += (xs[i * m + a] - row[a]) * (xs[i * m + b] - row[b]) / n;
          }
          double se = Math.sqrt((cov[a * m + a] * cov[b * m + b] + cov[a * m + b] * cov[a * m + b]) / n);
          assertThat(s).as("%s covariance [%d, %d]", name, a, b).isCloseTo(cov[a * m + b], offset(5 * se));
        }
      }
    }
  }

  private static double[] covariance(Likelihood likelihood, DecoderOutput one) {
    Tensor c = likelihood instanceof CholeskyGaussian g ? g.covariance(one) : ((LowRankGaussian) likelihood)
        .covariance(one);
    return c.toDoubles();
  }

  /**
   * The factor is relative to σ (V = diag(σ) W): a value whose σ sits at its floor, as an
   * always-black pixel's does, gets no more correlated noise than its floor allows, however large
   * its row of W. (A factor V independent of σ gave such pixels noise of size |V row|.)
   */
  @Test
  void aValueWhoseSigmaIsAtItsFloorGetsNoCorrelatedNoise() {
    LowRankGaussian g = new LowRankGaussian(2, 1, 1e-3);
    double[] row = {0.0, 0.5, -60.0, Constraints.positiveInverse(0.5, 1e-3), 2.0, 2.0};
    int n = 20000;
    double[] raw = new double[n * row.length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(row, 0, raw, i * row.length, row.length);
    }
    double floorVariance = 1e-3 * 1e-3 * (1 + 2.0 * 2.0);
    double[] cov = g.covariance(new DecoderOutput(engine.fromHost(row, Shape.of(1, row.length), DType.FLOAT64)))
        .toDoubles();
    assertThat(cov[0]).isCloseTo(floorVariance, offset(1e-12));
    assertThat(cov[3]).isCloseTo(0.25 * 5, offset(1e-9));
    double[] xs = g.sample(new DecoderOutput(engine.fromHost(raw, Shape.of(n, row.length), DType.FLOAT64)),
        new Rng(8)).toDoubles();
    double variance = 0;
    for (int i = 0; i < n; i++) {
      variance += xs[2 * i] * xs[2 * i] / n;
    }
    assertThat(variance).isCloseTo(floorVariance, offset(5 * floorVariance * Math.sqrt(2.0 / n)));
  }

  @Test
  void woodburyLogDensityAgreesWithTheDenseDensityInFiftyDimensions() {
    int m = 50;
    int rank = 4;
    LowRankGaussian g = new LowRankGaussian(m, rank, 1e-3);
    Random random = new Random(6);
    double[][] raw = new double[2][m * (rank + 2)];
    double[][] x = new double[2][m];
    for (int i = 0; i < 2; i++) {
      for (int k = 0; k < raw[i].length; k++) {
        raw[i][k] = 0.5 * random.nextGaussian();
      }
      for (int j = 0; j < m; j++) {
        x[i][j] = random.nextGaussian();
      }
    }
    double[] expected = LikelihoodTable.rows().stream().filter(r -> r.name().equals("gaussian-lowrank")).findFirst()
        .orElseThrow().reference().logDensity(raw, Map.of(), x, m);
    double[] flatRaw = new double[2 * raw[0].length];
    double[] flatX = new double[2 * m];
    for (int i = 0; i < 2; i++) {
      System.arraycopy(raw[i], 0, flatRaw, i * raw[0].length, raw[0].length);
      System.arraycopy(x[i], 0, flatX, i * m, m);
    }
    double[] actual = g.logProb(new DecoderOutput(engine.fromHost(flatRaw, Shape.of(2, raw[0].length),
        DType.FLOAT64)), engine.fromHost(flatX, Shape.of(2, m), DType.FLOAT64)).toDoubles();
    for (int i = 0; i < 2; i++) {
      assertThat(actual[i]).isCloseTo(expected[i], offset(1e-9 * Math.abs(expected[i])));
    }
  }

  @Test
  void choleskyOutputsCoverTheFactorAndLargeDimensionsPointToTheLowRankGaussian() {
    for (int m = 1; m <= 9; m++) {
      int width = m * new CholeskyGaussian(m, 1e-3).outputsPerDimension();
      int needed = m * (m + 3) / 2;
      assertThat(width).as("outputs for m = %d", m).isBetween(needed, needed + m / 2);
      assertThat(CholeskyGaussian.offDiagonalColumn(m, m - 1, m - 2)).isLessThan(width);
    }
    assertThatThrownBy(() -> new CholeskyGaussian(300, 1e-3)).hasMessageContaining("gaussian-lowrank");
    assertThatThrownBy(() -> new LowRankGaussian(10, 0, 1e-3)).hasMessageContaining("rank must be at least 1");
  }
}
