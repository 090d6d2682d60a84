package dev.vae.likelihoods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The continuous Bernoulli where it is delicate: its normalising constant and mean on both sides
 * of the switch to their series near λ = 1/2, at λ = 1/2 exactly, and near λ = 0 and 1; float32
 * against float64; and its sampler as the inverse of its CDF.
 */
class ContinuousBernoulliTest {
  private static final double[] LOGITS = {0.0, 1e-300, -1e-12, 1e-8, -1e-4, 0.01, -0.05, 0.0999999, 0.1,
      -0.1000001, 0.2, -0.5, 1.0, -3.0, 10.0, -40.0, 80.0, -700.0, 700.0};

  private final Engine engine = new Engine(new ReferenceBackend());
  private final MemoryScope scope = engine.scope();

  @AfterEach
  void close() {
    scope.close();
  }

  private Tensor logits(DType dtype, double... values) {
    return engine.fromHost(values, Shape.of(1, values.length), dtype);
  }

  @Test
  void logNormaliserMatchesTheReferenceFromLambdaEverywhere() {
    double[] actual = ContinuousBernoulli.logNormaliser(logits(DType.FLOAT64, LOGITS)).toDoubles();
    for (int i = 0; i < LOGITS.length; i++) {
      double expected = LikelihoodTable.continuousBernoulliLogNormaliser(LOGITS[i]);
      assertThat(actual[i]).as("log C at logit %s", LOGITS[i]).isCloseTo(expected, offset(1e-14 * (1 + expected)));
    }
    assertThat(actual[0]).isEqualTo(Math.log(2));
  }

  @Test
  void logNormaliserIsSymmetricAndContinuousAcrossTheSeriesThreshold() {
    double t = ContinuousBernoulli.SERIES_BELOW;
    // The neighbouring doubles of the threshold: the series on one side, the closed form on the other.
    double[] around = {Math.nextDown(t), t, Math.nextUp(t), -Math.nextDown(t), -t, -Math.nextUp(t)};
    double[] values = ContinuousBernoulli.logNormaliser(logits(DType.FLOAT64, around)).toDoubles();
    for (double v : values) {
      assertThat(v).isCloseTo(values[1], offset(1e-14));
    }
  }

  @Test
  void float32AgreesWithFloat64FromHalfToTheExtremes() {
    double[] wide = new double[201];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = Math.signum(i - 100.0) * Math.pow(10, -6 + 8 * Math.abs(i - 100.0) / 100);
    }
    double[] single = ContinuousBernoulli.logNormaliser(logits(DType.FLOAT32, wide)).toDoubles();
    double[] precise = ContinuousBernoulli.logNormaliser(logits(DType.FLOAT64, wide)).toDoubles();
    DecoderOutput out32 = new DecoderOutput(logits(DType.FLOAT32, wide));
    DecoderOutput out64 = new DecoderOutput(logits(DType.FLOAT64, wide));
    double[] mean32 = new ContinuousBernoulli(wide.length).mean(out32).toDoubles();
    double[] mean64 = new ContinuousBernoulli(wide.length).mean(out64).toDoubles();
    for (int i = 0; i < wide.length; i++) {
      double eta = (float) wide[i];
      assertThat(single[i]).as("float32 log C at %s", eta).isFinite()
          .isCloseTo(LikelihoodTable.continuousBernoulliLogNormaliser(eta), offset(3e-7 * (1 + precise[i])));
      assertThat(mean32[i]).as("float32 mean at %s", eta).isCloseTo(mean64[i], offset(2e-6));
    }
  }

  @Test
  void meanMatchesNumericIntegrationOnBothSidesOfTheSeriesThreshold() {
    DecoderOutput out = new DecoderOutput(logits(DType.FLOAT64, LOGITS));
    double[] mean = new ContinuousBernoulli(LOGITS.length).mean(out).toDoubles();
    Domain.Cells cells = Domain.cells((Domain.Continuous) Domain.interval(0, 1), 256, x -> true);
    for (int i = 0; i < LOGITS.length; i++) {
      double eta = LOGITS[i];
      // p(x) ∝ exp(η x) on [0, 1]; shifted by max(η, 0) so nothing overflows.
      double shift = Math.max(eta, 0);
      double mass = 0;
      double first = 0;
      for (int k = 0; k < cells.x().length; k++) {
        double p = cells.w()[k] * Math.exp(eta * cells.x()[k] - shift);
        mass += p;
        first += p * cells.x()[k];
      }
      assertThat(mean[i]).as("mean at logit %s", eta).isCloseTo(first / mass, offset(5e-14));
    }
  }

  @Test
  void samplesAreTheInverseCdfOfTheirUniforms() {
    double[] etas = {0.0, 1e-9, -5e-7, 2e-6, -2e-6, 0.3, -0.3, 20.0, -20.0, 600.0, -600.0};
    int perLogit = 50;
    double[] raw = new double[etas.length * perLogit];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = etas[i % etas.length];
    }
    Shape shape = Shape.of(perLogit, etas.length);
    DecoderOutput out = new DecoderOutput(engine.fromHost(raw, shape, DType.FLOAT64));
    double[] x = new ContinuousBernoulli(etas.length).sample(out, new Rng(41)).toDoubles();
    double[] u = engine.uniform(new Rng(41), shape, DType.FLOAT64).toDoubles();
    for (int i = 0; i < x.length; i++) {
      double eta = raw[i];
      assertThat(x[i]).isBetween(0.0, 1.0);
      assertThat(cdf(eta, x[i])).as("F(x) at logit %s, x %s", eta, x[i]).isCloseTo(u[i], offset(1e-12));
    }
  }

  /** F(x) = expm1(η x) / expm1(η), and x at η = 0; written as e^{η(x−1)} ratios for large η. */
  private static double cdf(double eta, double x) {
    if (eta == 0) {
      return x;
    }
    if (eta > 30) {
      return (Math.exp(eta * (x - 1)) - Math.exp(-eta)) / (1 - Math.exp(-eta));
    }
    return Math.expm1(eta * x) / Math.expm1(eta);
  }
}
