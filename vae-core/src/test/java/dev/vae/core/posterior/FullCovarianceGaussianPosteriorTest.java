package dev.vae.core.posterior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.model.StandardNormalPrior;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The full-covariance Gaussian posterior in three dimensions: its factor laid out from the encoder's
 * numbers, the density of its draws and its KL from N(0, I) against the multivariate normal written
 * out on the host, the KL against a Monte Carlo estimate, and gradients against finite differences.
 */
class FullCovarianceGaussianPosteriorTest {
  private static final int D = 3;
  /** Two examples: means, raw log-variances (log L_ii²), then L10, L20, L21 before their scale, 0.5. */
  private static final double[] OUTPUTS = {
      0.5, -1.0, 0.3, Math.log(0.64), Math.log(1.44), Math.log(0.25), 0.7, -0.4, 0.9,
      -0.2, 0.1, 1.2, Math.log(2.25), Math.log(0.36), Math.log(1.0), -1.1, 0.2, 0.5};
  private final Engine engine = new Engine(new ReferenceBackend());
  private final FullCovarianceGaussianPosterior.Family family = new FullCovarianceGaussianPosterior.Family(D, 0.5);

  private FullCovarianceGaussianPosterior posterior(Tensor outputs) {
    return family.posterior(outputs, UnaryOperator.identity());
  }

  private Tensor outputs() {
    return engine.fromHost(OUTPUTS, Shape.of(2, family.encoderOutputs()), DType.FLOAT64);
  }

  /** Example e's factor L, written out from its numbers. */
  private static double[][] factor(int e) {
    int offset = e * 9;
    double[][] l = new double[D][D];
    for (int i = 0; i < D; i++) {
      l[i][i] = Math.exp(0.5 * OUTPUTS[offset + D + i]);
    }
    l[1][0] = 0.5 * OUTPUTS[offset + 6];
    l[2][0] = 0.5 * OUTPUTS[offset + 7];
    l[2][1] = 0.5 * OUTPUTS[offset + 8];
    return l;
  }

  @Test
  void theFactorIsLaidOutRowByRowBelowAPositiveDiagonal() {
    assertThat(family.encoderOutputs()).isEqualTo(9);
    try (MemoryScope scope = engine.scope()) {
      double[] got = posterior(outputs()).scaleTril().toDoubles();
      for (int e = 0; e < 2; e++) {
        double[][] l = factor(e);
        for (int i = 0; i < D; i++) {
          for (int j = 0; j < D; j++) {
            assertThat(got[e * 9 + i * D + j]).as("example %d, L[%d][%d]", e, i, j).isCloseTo(l[i][j], within(1e-15));
          }
        }
      }
    }
  }

  @Test
  void drawsCarryTheMultivariateNormalDensity() {
    int samples = 5;
    try (MemoryScope scope = engine.scope()) {
      Posterior.Draws draws = posterior(outputs()).sample(samples, new Rng(3));
      double[] z = draws.z().toDoubles();
      double[] logProb = draws.logProb().toDoubles();
      for (int s = 0; s < samples; s++) {
        for (int e = 0; e < 2; e++) {
          int row = s * 2 + e;
          double[] point = Arrays.copyOfRange(z, row * D, row * D + D);
          assertThat(logProb[row]).as("draw %d of example %d", s, e).isCloseTo(logDensity(e, point), within(1e-12));
        }
      }
    }
  }

  /** log N(z; μ, L Lᵀ) by forward substitution: −½ ‖L⁻¹(z − μ)‖² − log det L − (d/2) log 2π. */
  private static double logDensity(int e, double[] z) {
    double[][] l = factor(e);
    double[] y = new double[D];
    double quadratic = 0;
    double logDet = 0;
    for (int i = 0; i < D; i++) {
      double r = z[i] - OUTPUTS[e * 9 + i];
      for (int j = 0; j < i; j++) {
        r -= l[i][j] * y[j];
      }
      y[i] = r / l[i][i];
      quadratic += y[i] * y[i];
      logDet += Math.log(l[i][i]);
    }
    return -0.5 * quadratic - logDet - 0.5 * D * Math.log(2 * Math.PI);
  }

  @Test
  void theKlFromTheStandardNormalIsTheClosedFormAndTheMonteCarloEstimateAgrees() {
    int samples = 40_000;
    StandardNormalPrior prior = new StandardNormalPrior();
    try (MemoryScope scope = engine.scope()) {
      FullCovarianceGaussianPosterior q = posterior(outputs());
      Posterior.Kl kl = q.klFrom(prior).orElseThrow();
      assertThat(kl.perDimension()).as("a full covariance's KL does not split by dimension").isEmpty();
      double[] closed = kl.total().toDoubles();
      Posterior.Draws draws = q.sample(samples, new Rng(4));
      double[] terms = draws.logProb().sub(prior.logProb(draws.z())).toDoubles();
      for (int e = 0; e < 2; e++) {
        double[][] l = factor(e);
        double[][] sigma = new double[D][D];
        double trace = 0;
        double meanSquare = 0;
        for (int i = 0; i < D; i++) {
          for (int j = 0; j < D; j++) {
            for (int k = 0; k < D; k++) {
              sigma[i][j] += l[i][k] * l[j][k];
            }
          }
          trace += sigma[i][i];
          meanSquare += OUTPUTS[e * 9 + i] * OUTPUTS[e * 9 + i];
        }
        double det = sigma[0][0] * (sigma[1][1] * sigma[2][2] - sigma[1][2] * sigma[2][1])
            - sigma[0][1] * (sigma[1][0] * sigma[2][2] - sigma[1][2] * sigma[2][0])
            + sigma[0][2] * (sigma[1][0] * sigma[2][1] - sigma[1][1] * sigma[2][0]);
        double byHand = 0.5 * (trace + meanSquare - D - Math.log(det));
        assertThat(closed[e]).as("example %d", e).isCloseTo(byHand, within(1e-12));
        int example = e;
        double[] mine = java.util.stream.IntStream.range(0, samples).mapToDouble(s -> terms[s * 2 + example])
            .toArray();
        double estimate = Arrays.stream(mine).average().orElseThrow();
        double spread = Math.sqrt(Arrays.stream(mine).map(t -> (t - estimate) * (t - estimate)).sum()) / samples;
        assertThat(estimate).as("Monte Carlo, example %d", e).isCloseTo(byHand, within(4 * spread));
      }
      double[] variances = q.base().logVariance().exp().toDoubles();
      double[][] l = factor(1);
      assertThat(variances[D + 2]).as("the marginal variance Σ_22").isCloseTo(l[2][0] * l[2][0] + l[2][1] * l[2][1]
          + l[2][2] * l[2][2], within(1e-12));
    }
  }

  @Test
  void gradientsReachTheEncodersNumbers() {
    GradientCheck check = new GradientCheck(engine, 5);
    List<Shape> shape = List.of(Shape.of(2, 9));
    List<double[]> at = List.of(OUTPUTS);
    check.check("full-covariance draws", in -> posterior(in.get(0)).sample(3, new Rng(6)).z(), shape, at);
    check.check("full-covariance log q of its draws", in -> posterior(in.get(0)).sample(3, new Rng(6)).logProb(),
        shape, at);
    check.check("full-covariance KL", in -> posterior(in.get(0)).klFrom(new StandardNormalPrior()).orElseThrow()
        .total(), shape, at);
  }
}
