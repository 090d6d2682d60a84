package dev.vae.likelihoods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.vae.api.Rng;
import dev.vae.api.backend.HostVariates;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * The host samplers on their own, with more draws than the table affords: gamma variates against
 * their mean, variance and E[log X] = digamma(a) (which small shapes, drawn in log space, depend
 * on); Poisson variates on both sides of the switch from inversion to PTRS against the Poisson
 * probabilities. Moment checks allow 5 standard errors; chi-square tests run at level 1e-3.
 */
class HostRandomTest {
  private static final int N = 200_000;

  @Test
  void gammaVariatesHaveTheirMomentsForSmallAndLargeShapes() {
    for (double shape : new double[] {0.05, 0.7, 1.0, 3.5, 150.0}) {
      HostRandom random = new HostRandom(new Rng(31));
      double sum = 0;
      double sumSquares = 0;
      double sumLog = 0;
      double sumLogSquares = 0;
      double digamma = Gamma.digamma(shape);
      for (int i = 0; i < N; i++) {
        double log = random.logGamma(shape);
        double x = Math.exp(log);
        sum += x;
        sumSquares += (x - shape) * (x - shape);
        sumLog += log;
        sumLogSquares += (log - digamma) * (log - digamma);
      }
      assertThat(sum / N).as("mean, shape %s", shape).isCloseTo(shape, offset(5 * Math.sqrt(shape / N)));
      double fourth = 3 * shape * shape + 6 * shape;
      assertThat(sumSquares / N).as("variance, shape %s", shape)
          .isCloseTo(shape, offset(5 * Math.sqrt((fourth - shape * shape) / N)));
      double logVariance = Gamma.trigamma(shape);
      assertThat(sumLog / N).as("E[log X], shape %s", shape)
          .isCloseTo(digamma, offset(5 * Math.sqrt(logVariance / N)));
      assertThat(sumLogSquares / N).as("Var[log X], shape %s", shape).isCloseTo(logVariance,
          offset(0.02 * logVariance));
    }
  }

  @Test
  void poissonVariatesFollowThePoissonProbabilitiesAcrossTheSwitchToPtrs() {
    for (double rate : new double[] {0.5, 3.7, 9.99, 10.0, 42.5, 1000.0}) {
      HostRandom random = new HostRandom(new Rng(37));
      int top = (int) (rate + 12 * Math.sqrt(rate) + 20);
      long[] counts = new long[top + 1];
      for (int i = 0; i < N; i++) {
        double k = random.poisson(rate);
        assertThat(k).isEqualTo(Math.rint(k)).isGreaterThanOrEqualTo(0);
        counts[(int) Math.min(k, top)]++;
      }
      PoissonDistribution poisson = new PoissonDistribution(null, rate, 1e-12, 10_000_000);
      // Contiguous bins, each with at least 1/50 of the mass; the last one holds the tail.
      double statistic = 0;
      int bins = 0;
      double p = 0;
      long observed = 0;
      for (int k = 0; k <= top; k++) {
        p += k == top ? 1 - poisson.cumulativeProbability(top - 1) : poisson.probability(k);
        observed += counts[k];
        if (p >= 0.02 || k == top) {
          double expected = N * p;
          statistic += (observed - expected) * (observed - expected) / expected;
          bins++;
          p = 0;
          observed = 0;
        }
      }
      double critical = new ChiSquaredDistribution(null, bins - 1).inverseCumulativeProbability(1 - 1e-3);
      assertThat(statistic).as("chi-square at rate %s over %d bins", rate, bins).isLessThan(critical);
    }
  }

  @Test
  void largeRatesKeepTheirMeanAndVariance() {
    double rate = 1e6;
    HostRandom random = new HostRandom(new Rng(43));
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < N; i++) {
      double k = random.poisson(rate);
      sum += k;
      sumSquares += (k - rate) * (k - rate);
    }
    assertThat(sum / N).isCloseTo(rate, offset(5 * Math.sqrt(rate / N)));
    assertThat(sumSquares / N).isCloseTo(rate, offset(5 * Math.sqrt((rate + 2 * rate * rate) / N)));
  }

  @Test
  void theCallersStreamMovesByOneAndEqualStatesGiveEqualDraws() {
    Rng a = new Rng(5, 100);
    Rng b = new Rng(5, 100);
    HostRandom first = new HostRandom(a);
    HostRandom second = new HostRandom(b);
    for (int i = 0; i < 1000; i++) {
      assertThat(first.logGamma(0.3)).isEqualTo(second.logGamma(0.3));
    }
    assertThat(a.offset()).isEqualTo(101);
    assertThat(new HostRandom(a).uniform()).isNotEqualTo(new HostRandom(new Rng(5, 100)).uniform());
    assertThat(HostVariates.logFactorial(300)).isCloseTo(Gamma.logGamma(301), offset(1e-12 * 1412));
    assertThat(HostVariates.logFactorial(255)).isCloseTo(Gamma.logGamma(256), offset(1e-12 * 1160));
  }
}
