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
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.plugin.LikelihoodRegistry;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The σ-VAE's calibrated σ: the batch's root mean squared error, floored, what sampling does with
 * it, and the σ fixed at a saved value for evaluating a trained model.
 */
class CalibratedGaussianTest {
  private final Engine engine = new Engine(new ReferenceBackend());
  private final MemoryScope scope = engine.scope();

  @AfterEach
  void close() {
    scope.close();
  }

  private Tensor tensor(int n, int m, double... values) {
    return engine.fromHost(values, Shape.of(n, m), DType.FLOAT64);
  }

  @Test
  void sigmaIsTheRootMeanSquaredErrorOfTheBatch() {
    DiagonalGaussian g = DiagonalGaussian.calibrated(2, 1e-3);
    DecoderOutput out = new DecoderOutput(tensor(2, 2, 0.0, 1.0, 2.0, -1.0));
    Tensor x = tensor(2, 2, 0.3, 1.0, 1.5, -0.2);
    double mse = (0.09 + 0 + 0.25 + 0.64) / 4;
    assertThat(g.calibratedSigma(out, x).item()).isCloseTo(Math.sqrt(mse), offset(1e-15));
    g.logProb(out, x);
    assertThat(g.lastCalibratedSigma()).isCloseTo(Math.sqrt(mse), offset(1e-15));
  }

  @Test
  void theCalibratedSigmaMaximisesTheLikelihoodOverSharedSigmas() {
    DiagonalGaussian g = DiagonalGaussian.calibrated(3, 1e-3);
    DecoderOutput out = new DecoderOutput(tensor(2, 3, 0.1, -0.4, 1.0, 0.0, 2.0, 0.5));
    Tensor x = tensor(2, 3, 0.5, -1.0, 0.2, 0.3, 2.4, 0.1);
    double best = g.logProb(out, x).sum().item();
    double sigma = g.lastCalibratedSigma();
    for (double factor : new double[] {0.9, 0.99, 1.01, 1.1}) {
      double other = DiagonalGaussian.fixed(3, sigma * factor).logProb(out, x).sum().item();
      assertThat(other).as("shared sigma %s x the calibrated one", factor).isLessThan(best);
    }
    assertThat(DiagonalGaussian.fixed(3, sigma).logProb(out, x).sum().item()).isCloseTo(best, offset(1e-12));
  }

  @Test
  void sigmaNeverFallsBelowItsFloor() {
    DiagonalGaussian g = DiagonalGaussian.calibrated(2, 0.05);
    DecoderOutput out = new DecoderOutput(tensor(1, 2, 0.5, 0.5));
    Tensor x = tensor(1, 2, 0.5, 0.5001);
    assertThat(g.calibratedSigma(out, x).item()).isEqualTo(0.05, offset(1e-15));
    double expected = -0.5 * Math.pow(0.0001 / 0.05, 2) - 2 * Math.log(0.05 * Math.sqrt(2 * Math.PI));
    assertThat(g.logProb(out, x).item()).isCloseTo(expected, offset(1e-12));
    assertThatThrownBy(() -> DiagonalGaussian.calibrated(2, 0.0)).hasMessageContaining("positive min-sigma");
  }

  @Test
  void valuesOutsideTheSupportAreLeftOutOfSigmaWhenValidationIsOff() {
    DiagonalGaussian g = DiagonalGaussian.calibrated(2, 1e-3);
    g.setValidation(false);
    DecoderOutput out = new DecoderOutput(tensor(2, 2, 0.0, 0.0, 0.0, 0.0));
    double[] lp = g.logProb(out, tensor(2, 2, 0.6, -0.8, Double.NaN, 0.0)).toDoubles();
    assertThat(g.lastCalibratedSigma()).isCloseTo(Math.sqrt((0.36 + 0.64 + 0) / 3), offset(1e-15));
    assertThat(lp[0]).isFinite();
    assertThat(lp[1]).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void samplingUsesTheLatestSigmaAndFailsClearlyBeforeAnyEvaluation() {
    DiagonalGaussian g = (DiagonalGaussian) LikelihoodRegistry.discover().create("gaussian", 1,
        Options.parse("sigma=calibrated"));
    int n = 20000;
    DecoderOutput out = new DecoderOutput(engine.full(Shape.of(n, 1), DType.FLOAT64, 1.0));
    assertThatThrownBy(() -> g.sample(out, new Rng(1))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("calibrated").hasMessageContaining("evaluate a batch first");
    g.logProb(new DecoderOutput(tensor(1, 1, 1.0)), tensor(1, 1, 1.3));
    double sigma = g.lastCalibratedSigma();
    assertThat(sigma).isCloseTo(0.3, offset(1e-12));
    double[] xs = g.sample(out, new Rng(2)).toDoubles();
    double variance = 0;
    for (double v : xs) {
      variance += (v - 1.0) * (v - 1.0) / n;
    }
    assertThat(variance).isCloseTo(sigma * sigma, offset(5 * sigma * sigma * Math.sqrt(2.0 / n)));
    assertThat(g.mean(out).toDoubles()[0]).isEqualTo(1.0);
  }

  @Test
  void aFixedSigmaGivesEveryBatchTheSameGaussian() {
    DiagonalGaussian g = DiagonalGaussian.calibrated(2, 1e-3);
    assertThat(g.estimates()).containsOnlyKeys(DiagonalGaussian.CALIBRATED_SIGMA);
    assertThat(g.estimates().get(DiagonalGaussian.CALIBRATED_SIGMA)).isNaN();
    DecoderOutput out = new DecoderOutput(tensor(2, 2, 0.1, -0.2, 0.4, 0.0));
    Tensor x = tensor(2, 2, 0.5, -0.1, 0.3, 1.2);
    double calibrated = g.logProb(out, x).toDoubles()[0];
    g.fixEstimates(Map.of(DiagonalGaussian.CALIBRATED_SIGMA, 0.25));
    assertThat(g.estimates()).containsEntry(DiagonalGaussian.CALIBRATED_SIGMA, 0.25);
    NormalDistribution n1 = new NormalDistribution(null, 0.1, 0.25);
    NormalDistribution n2 = new NormalDistribution(null, -0.2, 0.25);
    double expected = n1.logDensity(0.5) + n2.logDensity(-0.1);
    double[] batch = g.logProb(out, x).toDoubles();
    double alone = g.logProb(new DecoderOutput(tensor(1, 2, 0.1, -0.2)), tensor(1, 2, 0.5, -0.1)).toDoubles()[0];
    assertThat(batch[0]).isCloseTo(expected, offset(1e-12)).isNotCloseTo(calibrated, offset(1e-3));
    assertThat(alone).isCloseTo(expected, offset(1e-12));
    assertThat(g.lastCalibratedSigma()).as("evaluating leaves a fixed sigma alone").isEqualTo(0.25);
  }

  @Test
  void onlyBatchesTrainedOnMoveSigmaOnceThereIsOne() {
    DiagonalGaussian g = DiagonalGaussian.calibrated(2, 1e-3);
    Tensor trainedMean = engine.variable(engine.backend().fromHost(new double[] {0, 0, 0, 0}, Shape.of(2, 2),
        DType.FLOAT64));
    g.logProb(new DecoderOutput(trainedMean), tensor(2, 2, 0.1, -0.1, 0.1, -0.1));
    assertThat(g.lastCalibratedSigma()).isCloseTo(0.1, offset(1e-15));
    double validation = g.logProb(new DecoderOutput(tensor(2, 2, 0, 0, 0, 0)), tensor(2, 2, 2, -2, 2, -2)).sum().item();
    assertThat(validation).as("a validation batch is scored with its own sigma")
        .isCloseTo(DiagonalGaussian.fixed(2, 2.0).logProb(new DecoderOutput(tensor(2, 2, 0, 0, 0, 0)),
            tensor(2, 2, 2, -2, 2, -2)).sum().item(), offset(1e-12));
    assertThat(g.lastCalibratedSigma()).as("but leaves the trained sigma alone").isCloseTo(0.1, offset(1e-15));

    DiagonalGaussian fresh = DiagonalGaussian.calibrated(2, 1e-3);
    fresh.logProb(new DecoderOutput(tensor(2, 2, 0, 0, 0, 0)), tensor(2, 2, 2, -2, 2, -2));
    assertThat(fresh.lastCalibratedSigma()).as("with no sigma yet, an evaluated batch sets one").isCloseTo(2.0,
        offset(1e-15));
  }

  @Test
  void aRestoredSigmaServesUntilTheNextBatchTrainedOnReplacesIt() {
    DiagonalGaussian g = DiagonalGaussian.calibrated(2, 1e-3);
    g.restoreEstimates(Map.of(DiagonalGaussian.CALIBRATED_SIGMA, 0.4));
    assertThat(g.lastCalibratedSigma()).isEqualTo(0.4);
    assertThat(g.sigma(new DecoderOutput(tensor(1, 2, 0, 0))).item()).isEqualTo(0.4);
    Tensor trainedMean = engine.variable(engine.backend().fromHost(new double[] {0, 0}, Shape.of(1, 2),
        DType.FLOAT64));
    g.logProb(new DecoderOutput(trainedMean), tensor(1, 2, 0.3, -0.3));
    assertThat(g.lastCalibratedSigma()).as("restored, not fixed").isCloseTo(0.3, offset(1e-15));
    assertThatThrownBy(() -> g.restoreEstimates(Map.of(DiagonalGaussian.CALIBRATED_SIGMA, 0.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least min-sigma");
    DiagonalGaussian learned = DiagonalGaussian.learned(2, false, 1.0, 1e-3);
    assertThatThrownBy(() -> learned.restoreEstimates(Map.of(DiagonalGaussian.CALIBRATED_SIGMA, 0.2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimates nothing");
  }

  @Test
  void fixingEstimatesRejectsWrongNamesAndValues() {
    DiagonalGaussian g = DiagonalGaussian.calibrated(2, 0.01);
    assertThatThrownBy(() -> g.fixEstimates(Map.of("sigma", 0.2))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DiagonalGaussian.CALIBRATED_SIGMA).hasMessageContaining("[sigma]");
    assertThatThrownBy(() -> g.fixEstimates(Map.of(DiagonalGaussian.CALIBRATED_SIGMA, 0.005)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least min-sigma 0.01");
    assertThatThrownBy(() -> g.fixEstimates(Map.of(DiagonalGaussian.CALIBRATED_SIGMA, Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got NaN");
    DiagonalGaussian learned = DiagonalGaussian.learned(2, false, 1.0, 1e-3);
    assertThat(learned.estimates()).isEmpty();
    learned.fixEstimates(Map.of());
    assertThatThrownBy(() -> learned.fixEstimates(Map.of(DiagonalGaussian.CALIBRATED_SIGMA, 0.2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gaussian likelihood: estimates nothing");
  }
}
