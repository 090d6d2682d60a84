package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.optim.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A training step frees all its temporaries, and an MLP actually learns. */
class TrainingStepMemoryTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  @Test
  void stepsLeaveNoArraysBehindAndTheLossFalls() {
    Mlp mlp = Mlp.builder(engine).sizes(3, 8, 1).activation(Activation.TANH).rng(new Rng(7))
        .dtype(DType.FLOAT64).build();
    double[] xs = new double[16 * 3];
    double[] ys = new double[16];
    Rng data = new Rng(3);
    dev.vae.api.backend.Philox.normals(data.seed(), 0, xs);
    for (int i = 0; i < 16; i++) {
      ys[i] = Math.sin(xs[3 * i]) + 0.5 * xs[3 * i + 1] * xs[3 * i + 2];
    }
    try (Adam adam = Adam.adam(engine, 0.02)) {
      double first = trainStep(mlp, adam, xs, ys);
      long baseline = engine.backend().liveArrays();
      double last = first;
      for (int i = 0; i < 300; i++) {
        last = trainStep(mlp, adam, xs, ys);
      }
      assertThat(engine.backend().liveArrays()).as("arrays alive after 300 more steps").isEqualTo(baseline);
      assertThat(last).as("loss after training").isLessThan(first * 0.2);
    }
  }

  private double trainStep(Mlp mlp, Adam adam, double[] xs, double[] ys) {
    try (MemoryScope scope = engine.scope()) {
      Tensor x = engine.fromHost(xs, Shape.of(16, 3), DType.FLOAT64);
      Tensor y = engine.fromHost(ys, Shape.of(16, 1), DType.FLOAT64);
      Tensor loss = mlp.forward(x).sub(y).square().mean();
      List<Tensor> leaves = mlp.parameters().stream().map(Parameter::tensor).toList();
      adam.step(mlp.parameters(), engine.gradients(loss, leaves));
      return loss.item();
    }
  }

  @Test
  void denseLayerRejectsTheWrongInputWidth() {
    Dense dense = new Dense("enc.0", engine, 4, 2, Initializer.HE_NORMAL, new Rng(1), DType.FLOAT64);
    try (MemoryScope scope = engine.scope()) {
      Tensor x = engine.full(Shape.of(5, 3), DType.FLOAT64, 1.0);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> dense.forward(x))
          .hasMessageContaining("enc.0").hasMessageContaining("[n, 4]").hasMessageContaining("[5, 3]");
    }
  }
}
