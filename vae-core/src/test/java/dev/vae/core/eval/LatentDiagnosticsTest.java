package dev.vae.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Active units and the mutual-information estimate on posteriors whose answers are known. */
class LatentDiagnosticsTest {
  /** x ~ N(0, 1), q(z|x) = N(a x, s) on dimension 0 and N(0.3, 1) on dimension 1. */
  private static LatentDiagnostics gaussianChannel(int n, double a, double s, long seed) {
    Random random = new Random(seed);
    double[] means = new double[2 * n];
    double[] logVariances = new double[2 * n];
    double[] draws = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double x = random.nextGaussian();
      means[2 * i] = a * x;
      logVariances[2 * i] = Math.log(s);
      draws[2 * i] = a * x + Math.sqrt(s) * random.nextGaussian();
      means[2 * i + 1] = 0.3;
      draws[2 * i + 1] = 0.3 + random.nextGaussian();
    }
    return LatentDiagnostics.of(means, logVariances, draws, n, 2);
  }

  @Test
  void mutualInformationOfAGaussianChannelIsHalfLogOnePlusSignalToNoise() {
    // z = a x + noise of variance s with x ~ N(0, 1): I(x; z) = ½ ln(1 + a² / s); the unused
    // dimension adds nothing.
    LatentDiagnostics d = gaussianChannel(2000, 1.0, 0.25, 7);
    assertThat(d.mutualInformation()).isCloseTo(0.5 * Math.log(5), within(0.05));
  }

  @Test
  void aPosteriorThatIgnoresXHasNoActiveUnitAndNoInformation() {
    LatentDiagnostics d = gaussianChannel(1000, 0.0, 1.0, 8);
    assertThat(d.activeUnits()).isZero();
    assertThat(d.mutualInformation()).isCloseTo(0, within(0.02));
  }

  @Test
  void activeUnitsCountTheDimensionsWhosePosteriorMeanVariesAcrossX() {
    // Dimension 0 means (0, 0.3, −0.3): variance 0.06; dimension 1 means (0.1, 0.15, 0.2): variance 1/600.
    double[] means = {0, 0.1, 0.3, 0.15, -0.3, 0.2};
    LatentDiagnostics d = LatentDiagnostics.of(means, new double[6], means.clone(), 3, 2);
    assertThat(d.posteriorMeanVariance()[0]).isCloseTo(0.06, within(1e-15));
    assertThat(d.posteriorMeanVariance()[1]).isCloseTo(1.0 / 600, within(1e-15));
    assertThat(d.activeUnits()).isEqualTo(1);
    assertThat(d.mutualInformation()).isLessThanOrEqualTo(Math.log(3) + 1e-12);
  }
}
