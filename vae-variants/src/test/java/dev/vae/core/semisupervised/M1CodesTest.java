package dev.vae.core.semisupervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.plugin.LikelihoodRegistry;
import org.junit.jupiter.api.Test;

/** M1+M2's inputs: M1's posterior means for evaluation, fresh samples of q(z1|x) for training, no gradients to M1. */
class M1CodesTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  private Vae m1() {
    return new VaeBuilder(engine).likelihood(LikelihoodRegistry.discover().create("gaussian", 4, Options.none()))
        .hidden(5).latent(3).dtype(DType.FLOAT64).seed(2).build();
  }

  private Tensor x() {
    return engine.fromHost(new double[] {0.1, -0.3, 0.8, 1.2, -1.0, 0.4, 0.0, 0.6}, Shape.of(2, 4), DType.FLOAT64);
  }

  @Test
  void evaluationUsesThePosteriorMeanAndTrainingDrawsFromThePosterior() {
    try (Vae m1 = m1()) {
      double[] mean = m1.encode(x()).base().mean().toDoubles();
      double[] sd = m1.encode(x()).base().standardDeviation().toDoubles();
      M1Codes sampled = new M1Codes(m1, true);
      assertThat(sampled.dimension()).isEqualTo(3);
      assertThat(sampled.evaluation(x()).toDoubles()).containsExactly(mean, within(1e-12));
      double[] eps = engine.normal(new Rng(6), Shape.of(1, 2, 3), DType.FLOAT64).toDoubles();
      double[] expected = new double[6];
      for (int i = 0; i < 6; i++) {
        expected[i] = mean[i] + sd[i] * eps[i];
      }
      Tensor codes = sampled.training(x(), new Rng(6));
      assertThat(codes.toDoubles()).containsExactly(expected, within(1e-12));
      assertThat(codes.requiresGrad()).as("M1 stays frozen").isFalse();
      assertThat(new M1Codes(m1, false).training(x(), new Rng(6)).toDoubles()).containsExactly(mean, within(1e-12));
    }
  }
}
