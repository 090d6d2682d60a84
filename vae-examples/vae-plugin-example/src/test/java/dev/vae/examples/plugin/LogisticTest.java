package dev.vae.examples.plugin;

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
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.plugin.LikelihoodRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.LogisticDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The logistic plugin on its own: log-prob against Commons Math's logistic density and against
 * the closed form in the far tails, normalisation, float64 gradients, samples against the
 * distribution's moments and CDF, and the errors. Parameters are drawn by the test; the scale's
 * transform softplus(r) + 1e-3 and the block layout [μ | r] are the only shared knowledge.
 */
class LogisticTest {
  private static final int N = 4;
  private static final int M = 3;
  private static final double FLOOR = 1e-3;

  private final Engine engine = new Engine(new ReferenceBackend());
  private final MemoryScope scope = engine.scope();
  private final Logistic logistic = new Logistic(M, FLOOR);

  @AfterEach
  void close() {
    scope.close();
  }

  private Tensor tensor(double[] values, int rows) {
    return engine.fromHost(values, Shape.of(rows, values.length / rows), DType.FLOAT64);
  }

  private static double[] normal(Random random, int count, double sd) {
    double[] v = new double[count];
    Arrays.setAll(v, i -> sd * random.nextGaussian());
    return v;
  }

  /** Decoder outputs for one dimension repeated n times: location mu, raw scale whose softplus + floor is s. */
  private DecoderOutput repeated(double mu, double s, int n) {
    double raw = Math.log(Math.expm1(s - FLOOR));
    double[] values = new double[2 * n];
    for (int i = 0; i < n; i++) {
      values[2 * i] = mu;
      values[2 * i + 1] = raw;
    }
    return new DecoderOutput(tensor(values, n));
  }

  @Test
  void logProbMatchesCommonsMathsLogisticDensity() {
    Random random = new Random(3);
    for (int trial = 0; trial < 3; trial++) {
      double[] raw = normal(random, N * 2 * M, 1.0);
      double[] x = normal(random, N * M, 2.0);
      double[] actual = logistic.logProb(new DecoderOutput(tensor(raw, N)), tensor(x, N)).toDoubles();
      assertThat(actual).hasSize(N);
      for (int i = 0; i < N; i++) {
        double expected = 0;
        for (int j = 0; j < M; j++) {
          double mu = raw[i * 2 * M + j];
          double s = Math.log1p(Math.exp(raw[i * 2 * M + M + j])) + FLOOR;
          expected += Math.log(new LogisticDistribution(null, mu, s).density(x[i * M + j]));
        }
        assertThat(actual[i]).as("example %d, trial %d", i, trial).isCloseTo(expected, offset(1e-10 * (1 + Math.abs(expected))));
      }
    }
  }

  @Test
  void farTailsStayExactWhereTheNaiveDensityUnderflows() {
    Logistic one = new Logistic(1, FLOOR);
    double s = 0.5;
    double[] xs = {-400, -40, 40, 400};
    double[] actual = one.logProb(repeated(0.0, s, xs.length), tensor(xs, xs.length)).toDoubles();
    for (int i = 0; i < xs.length; i++) {
      double z = Math.abs(xs[i]) / s;
      double expected = -z - Math.log(s) - 2 * Math.log1p(Math.exp(-z));
      assertThat(actual[i]).as("x = %s", xs[i]).isCloseTo(expected, offset(1e-12 * Math.abs(expected)));
    }
  }

  @Test
  void densityIntegratesToOne() {
    Logistic one = new Logistic(1, FLOOR);
    double mu = 0.3;
    double s = 0.8;
    int points = 20001;
    double from = mu - 40 * s;
    double h = 80 * s / (points - 1);
    double[] xs = new double[points];
    Arrays.setAll(xs, i -> from + i * h);
    double[] lp = one.logProb(repeated(mu, s, points), tensor(xs, points)).toDoubles();
    double total = 0;
    for (int i = 0; i < points; i++) {
      total += (i == 0 || i == points - 1 ? 0.5 : 1.0) * h * Math.exp(lp[i]);
    }
    assertThat(total).isCloseTo(1.0, offset(1e-8));
  }

  @Test
  void gradientsOfLocationAndScaleMatchFiniteDifferences() {
    Random random = new Random(11);
    Tensor x = tensor(normal(random, 2 * M, 2.0), 2);
    new GradientCheck(engine, 7).check("logistic log-prob",
        in -> logistic.logProb(new DecoderOutput(in.get(0)), x), List.of(Shape.of(2, 2 * M)),
        List.of(normal(random, 2 * 2 * M, 1.0)));
  }

  @Test
  void samplesAreReparameterised() {
    new GradientCheck(engine, 13).check("logistic sample",
        in -> logistic.sample(new DecoderOutput(in.get(0)), new Rng(21)), List.of(Shape.of(N, 2 * M)),
        List.of(normal(new Random(5), N * 2 * M, 1.0)));
  }

  /**
   * A correct sampler fails each moment check with probability about 6e-7 (5 standard errors) and
   * the Kolmogorov–Smirnov test with probability 1e-3 over seeds; the seed here is fixed.
   */
  @Test
  void samplesMatchTheMomentsAndTheDistributionFunction() {
    Logistic one = new Logistic(1, FLOOR);
    double mu = 0.3;
    double s = 0.8;
    int n = 20000;
    DecoderOutput out = repeated(mu, s, n);
    assertThat(one.mean(out).toDoubles()[0]).isCloseTo(mu, offset(1e-12));
    assertThat(one.mode(out).orElseThrow().toDoubles()[0]).isCloseTo(mu, offset(1e-12));
    double[] xs = one.sample(out, new Rng(17)).toDoubles();
    double variance = Math.PI * Math.PI * s * s / 3;
    double fourth = 4.2 * variance * variance;
    double sampleMean = Arrays.stream(xs).average().orElseThrow();
    double sampleVariance = Arrays.stream(xs).map(v -> (v - mu) * (v - mu)).average().orElseThrow();
    assertThat(sampleMean).isCloseTo(mu, offset(5 * Math.sqrt(variance / n)));
    assertThat(sampleVariance).isCloseTo(variance, offset(5 * Math.sqrt((fourth - variance * variance) / n)));
    double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new LogisticDistribution(null, mu, s), xs);
    assertThat(p).as("Kolmogorov-Smirnov p-value of %d draws", n).isGreaterThan(1e-3);
  }

  @Test
  void dataOutsideTheSupportIsRejectedOrGivenMinusInfinityWithValidationOff() {
    Random random = new Random(9);
    DecoderOutput out = new DecoderOutput(tensor(normal(random, 2 * 2 * M, 1.0), 2));
    double[] x = normal(random, 2 * M, 1.0);
    x[M + 2] = Double.NaN;
    assertThatThrownBy(() -> logistic.logProb(out, tensor(x, 2))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("logistic likelihood").hasMessageContaining("x[1, 2] = NaN")
        .hasMessageContaining("finite real");
    logistic.setValidation(false);
    double[] lp = logistic.logProb(out, tensor(x, 2)).toDoubles();
    assertThat(lp[0]).isFinite();
    assertThat(lp[1]).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void isFoundByNameAndRejectsBadOptions() {
    LikelihoodRegistry registry = LikelihoodRegistry.discover();
    Likelihood found = registry.create(Logistic.NAME, 5, Options.parse("min-scale=0.01"));
    assertThat(found).isInstanceOf(Logistic.class);
    assertThat(found.dimension()).isEqualTo(5);
    assertThat(found.outputsPerDimension()).isEqualTo(2);
    assertThatThrownBy(() -> registry.create(Logistic.NAME, 5, Options.parse("min-scle=0.01")))
        .hasMessageContaining("no option 'min-scle'");
    assertThatThrownBy(() -> registry.create(Logistic.NAME, 5, Options.parse("min-scale=-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min-scale must be a finite number >= 0");
  }

  @Test
  void theScaleNeverFallsBelowItsFloor() {
    DecoderOutput out = new DecoderOutput(tensor(new double[] {0, 0, 0, -60, -5, 3}, 1));
    double[] scale = logistic.scale(out).toDoubles();
    assertThat(scale[0]).isGreaterThanOrEqualTo(FLOOR).isCloseTo(FLOOR, offset(1e-20));
    assertThat(scale[1]).isCloseTo(Math.log1p(Math.exp(-5)) + FLOOR, offset(1e-15));
    assertThat(scale[2]).isCloseTo(Math.log1p(Math.exp(3)) + FLOOR, offset(1e-12));
  }
}
