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
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.plugin.LikelihoodRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bernoulli and diagonal Gaussian against closed forms, gradients, samples and their errors. */
class FirstLikelihoodsTest {
  private final Engine engine = new Engine(new ReferenceBackend());
  private final MemoryScope scope = engine.scope();

  @AfterEach
  void close() {
    scope.close();
  }

  private Tensor tensor(Shape shape, double... values) {
    return engine.fromHost(values, shape, DType.FLOAT64);
  }

  @Test
  void bernoulliMatchesTheTextbookFormula() {
    double[] logits = {-3.0, 0.0, 0.7, 2.5, -0.2, 4.0};
    double[] x = {0, 1, 1, 0, 1, 1};
    Tensor lp = new Bernoulli(3).logProb(new DecoderOutput(tensor(Shape.of(2, 3), logits)), tensor(Shape.of(2, 3), x));
    for (int row = 0; row < 2; row++) {
      double expected = 0;
      for (int j = 0; j < 3; j++) {
        double p = 1 / (1 + Math.exp(-logits[row * 3 + j]));
        expected += x[row * 3 + j] == 1 ? Math.log(p) : Math.log(1 - p);
      }
      assertThat(lp.toDoubles()[row]).isCloseTo(expected, offset(1e-12));
    }
  }

  @Test
  void bernoulliIsFiniteForExtremeLogits() {
    Tensor lp = new Bernoulli(2).logProb(new DecoderOutput(tensor(Shape.of(2, 2), 1000, -1000, 1000, -1000)),
        tensor(Shape.of(2, 2), 1, 0, 0, 1));
    assertThat(lp.toDoubles()[0]).isCloseTo(0.0, offset(1e-12));
    assertThat(lp.toDoubles()[1]).isCloseTo(-2000.0, offset(1e-9));
  }

  @Test
  void gaussianWithFixedSigmaMatchesTheDensity() {
    Likelihood g = DiagonalGaussian.fixed(2, 0.5);
    Tensor lp = g.logProb(new DecoderOutput(tensor(Shape.of(1, 2), 0.1, -1.0)), tensor(Shape.of(1, 2), 0.3, 0.0));
    double expected = normalLogPdf(0.3, 0.1, 0.5) + normalLogPdf(0.0, -1.0, 0.5);
    assertThat(lp.item()).isCloseTo(expected, offset(1e-12));
  }

  private static double normalLogPdf(double x, double mu, double sigma) {
    return -0.5 * Math.pow((x - mu) / sigma, 2) - Math.log(sigma * Math.sqrt(2 * Math.PI));
  }

  @Test
  void learnedSigmaStartsAtItsInitialValueAndRespectsItsFloor() {
    DiagonalGaussian g = DiagonalGaussian.learned(3, false, 0.8, 0.05);
    var spec = g.ownParameters().get(0);
    assertThat(spec.shape()).isEqualTo(Shape.of(3));
    Tensor rho = engine.full(spec.shape(), DType.FLOAT64, spec.initialValue());
    DecoderOutput out = new DecoderOutput(tensor(Shape.of(1, 3), 0, 0, 0), Map.of(spec.name(), rho));
    for (double s : g.sigma(out).toDoubles()) {
      assertThat(s).isCloseTo(0.8, offset(1e-12));
    }
    DecoderOutput collapsed = new DecoderOutput(out.raw(), Map.of(spec.name(), engine.full(spec.shape(), DType.FLOAT64, -80)));
    for (double s : g.sigma(collapsed).toDoubles()) {
      assertThat(s).isGreaterThanOrEqualTo(0.05);
    }
    assertThat(DiagonalGaussian.learned(3, true, 1.0, 1e-3).ownParameters().get(0).shape()).isEqualTo(Shape.of(1));
  }

  @Test
  void gradientsThroughMeanAndLearnedSigma() {
    DiagonalGaussian g = DiagonalGaussian.learned(3, false, 1.0, 1e-3);
    String name = g.ownParameters().get(0).name();
    GradientCheck check = new GradientCheck(engine, 5);
    Shape data = Shape.of(2, 3);
    double[] x = check.normal(data);
    check.check("gaussian", in -> g.logProb(new DecoderOutput(in.get(0), Map.of(name, in.get(1))),
        tensor(data, x)), List.of(data, Shape.of(3)), List.of(check.normal(data), check.normal(Shape.of(3))));
    check.check("bernoulli", in -> new Bernoulli(3).logProb(new DecoderOutput(in.get(0)),
        tensor(data, 1, 0, 1, 0, 0, 1)), List.of(data), List.of(check.normal(data)));
  }

  @Test
  void samplesHaveTheRightMoments() {
    int n = 20000;
    Tensor logits = engine.full(Shape.of(n, 1), DType.FLOAT64, Math.log(0.3 / 0.7));
    double mean = new Bernoulli(1).sample(new DecoderOutput(logits), new Rng(9)).mean().item();
    double se = Math.sqrt(0.3 * 0.7 / n);
    assertThat(mean).isCloseTo(0.3, offset(5 * se));
    Tensor means = engine.full(Shape.of(n, 1), DType.FLOAT64, 2.0);
    Tensor xs = DiagonalGaussian.fixed(1, 0.5).sample(new DecoderOutput(means), new Rng(10));
    assertThat(xs.mean().item()).isCloseTo(2.0, offset(5 * 0.5 / Math.sqrt(n)));
    assertThat(xs.sub(2.0).square().mean().item()).isCloseTo(0.25, offset(5 * 0.25 * Math.sqrt(2.0 / n)));
  }

  @Test
  void dataOutsideTheSupportIsNamedPrecisely() {
    Likelihood b = new Bernoulli(3);
    DecoderOutput out = new DecoderOutput(engine.full(Shape.of(2, 3), DType.FLOAT64, 0.0));
    assertThatThrownBy(() -> b.logProb(out, tensor(Shape.of(2, 3), 0, 1, 1, 1, 0.5, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bernoulli")
        .hasMessageContaining("x[1, 1] = 0.5")
        .hasMessageContaining("{0, 1}")
        .hasMessageContaining("continuous-bernoulli");
    assertThatThrownBy(() -> b.logProb(out, tensor(Shape.of(3, 2), 0, 1, 1, 1, 0, 0)))
        .hasMessageContaining("[3, 2]").hasMessageContaining("[2, 3]");
  }

  @Test
  void withValidationOffAnExampleOutsideTheSupportHasLogDensityMinusInfinity() {
    Likelihood b = new Bernoulli(2);
    b.setValidation(false);
    DecoderOutput out = new DecoderOutput(engine.full(Shape.of(2, 2), DType.FLOAT64, 0.0));
    double[] lp = b.logProb(out, tensor(Shape.of(2, 2), 0, 1, 0.5, 1)).toDoubles();
    assertThat(lp[0]).isCloseTo(2 * Math.log(0.5), offset(1e-12));
    assertThat(lp[1]).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void likelihoodsAreFoundByNameAndTyposListTheChoices() {
    LikelihoodRegistry registry = LikelihoodRegistry.discover();
    assertThat(registry.create("bernoulli", 4, Options.none())).isInstanceOf(Bernoulli.class);
    assertThat(((DiagonalGaussian) registry.create("gaussian", 4, Options.parse("sigma=learned"))).sigmaMode())
        .isEqualTo(DiagonalGaussian.Sigma.LEARNED);
    assertThatThrownBy(() -> registry.create("bernouli", 4, Options.none()))
        .hasMessageContaining("no likelihood named 'bernouli'").hasMessageContaining("installed: bernoulli, beta, ");
    assertThatThrownBy(() -> registry.create("gaussian", 4, Options.parse("sigm=0.1")))
        .hasMessageContaining("no option 'sigm'").hasMessageContaining("sigma");
    assertThat(registry.create("gaussian", 4, Options.parse("sigma=decoder,min-sigma=0.01")).outputsPerDimension())
        .as("a heteroscedastic decoder gives a mean and a scale per dimension").isEqualTo(2);
    assertThatThrownBy(() -> registry.create("gaussian", 4, Options.parse("sigma=decoder,initial-sigma=0.3")))
        .hasMessageContaining("initial-sigma applies to sigma=learned or sigma=shared only")
        .hasMessageContaining("sigma=decoder");
  }
}
