package dev.vae.variants;

import dev.vae.api.Options;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.model.StandardNormalPrior;
import dev.vae.core.plugin.VariantRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gradients through every objective, with respect to the encoder's outputs (mean and raw
 * log-variance, through the variant's constraint and prior) and the decoder's reconstruction term
 * and log-weights, against finite differences in float64.
 */
class VariantGradientTest {
  private static final int N = 4;
  private static final int D = 3;
  private static final int K = 3;

  private final Engine engine = new Engine(new ReferenceBackend());

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = ';', value = {
      "elbo;", "beta;beta=3,schedule=linear,warmup-steps=20", "capacity;gamma=5,capacity=2,capacity-steps=20",
      "free-bits;lambda=0.3", "free-bits;lambda=0.8,group-size=3", "iwae;k=3", "delta;delta=0.2,beta=4",
      "delta;prior=ar1,alpha=0.7"})
  void objectiveGradientsMatchFiniteDifferences(String name, String options) {
    Variant variant = VariantRegistry.discover().create(name, Options.parse(options));
    var prior = variant.prior().orElse(new StandardNormalPrior());
    GradientCheck check = new GradientCheck(engine, 41);
    check.check(name, inputs -> {
      Tensor mean = inputs.get(0);
      Tensor logVariance = variant.constrainLogVariance(inputs.get(1));
      Tensor klPerDimension = prior.klFromDiagonalGaussian(mean, logVariance).orElseThrow();
      ObjectiveTerms terms = new ObjectiveTerms(inputs.get(2), klPerDimension.sum(false, 1),
          Optional.of(klPerDimension), Optional.of(inputs.get(3)));
      return variant.objective(terms, new TrainingClock(7, 40)).loss();
    }, List.of(Shape.of(N, D), Shape.of(N, D), Shape.of(N), Shape.of(K, N)),
        List.of(check.normal(Shape.of(N, D)), check.normal(Shape.of(N, D)), check.uniform(Shape.of(N), -20, -5),
            check.uniform(Shape.of(K * N), -20, -5)));
  }

  @Test
  void freeBitsPassNoGradientToAGroupBelowTheFloor() {
    Variant freeBits = new FreeBits(100, 1);
    Tensor kl = engine.variable(engine.backend().fromHost(new double[] {0.5, 1.0, 2.0}, Shape.of(1, 3),
        dev.vae.api.DType.FLOAT64));
    Tensor reconstruction = engine.fromHost(new double[] {-3}, Shape.of(1), dev.vae.api.DType.FLOAT64);
    ObjectiveTerms terms = new ObjectiveTerms(reconstruction, kl.sum(false, 1), Optional.of(kl), Optional.empty());
    double[] gradient = engine.gradients(freeBits.objective(terms, new TrainingClock(0, 1)).loss(), List.of(kl))
        .get(0).toDoubles();
    org.assertj.core.api.Assertions.assertThat(gradient).containsOnly(0.0);
  }
}
