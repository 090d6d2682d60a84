package dev.vae.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Optimizer updates against the formulas worked by hand, through the backend's fused Adam kernel
 * and through the optimizer's own tensor-math update.
 */
abstract class OptimizerContract {
  private final Engine engine = new Engine(backend());

  abstract ReferenceBackend backend();

  private Parameter param(double... values) {
    return Parameter.fromHost("w", engine, values, Shape.of(values.length), DType.FLOAT64);
  }

  private void step(Optimizer opt, Parameter p, double... grad) {
    try (MemoryScope scope = engine.scope()) {
      opt.step(List.of(p), List.of(engine.fromHost(grad, Shape.of(grad.length), DType.FLOAT64)));
    }
  }

  @Test
  void adamFirstStepsMatchHandComputation() {
    Parameter p = param(1.0, -2.0);
    try (Adam adam = Adam.adam(engine, 0.1)) {
      step(adam, p, 0.5, -4.0);
      // After one step m̂ = g and v̂ = g², so the update is lr · g / (|g| + eps) = ±0.1.
      assertThat(p.toDoubles()[0]).isCloseTo(0.9, offset(1e-7));
      assertThat(p.toDoubles()[1]).isCloseTo(-1.9, offset(1e-7));
      step(adam, p, 0.5, 2.0);
      double m1 = 0.1 * -4.0;
      double m2 = 0.9 * m1 + 0.1 * 2.0;
      double v1 = 0.001 * 16.0;
      double v2 = 0.999 * v1 + 0.001 * 4.0;
      double mHat = m2 / (1 - 0.81);
      double vHat = v2 / (1 - 0.999 * 0.999);
      assertThat(p.toDoubles()[1]).isCloseTo(-1.9 - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8), offset(1e-9));
    }
    p.close();
  }

  @Test
  void adamWDecaysParametersApartFromTheGradient() {
    Parameter p = param(2.0);
    try (Adam adamW = Adam.adamW(engine, 0.1, 0.9, 0.999, 1e-8, 0.5)) {
      step(adamW, p, 0.0);
      // Zero gradient: the moments stay zero, so only the decoupled decay moves the weight.
      assertThat(p.toDoubles()[0]).isCloseTo(2.0 - 0.1 * 0.5 * 2.0, offset(1e-12));
    }
    Parameter q = param(2.0);
    try (Adam l2 = Adam.adam(engine, 0.1, 0.9, 0.999, 1e-8, 0.5)) {
      step(l2, q, 0.0);
      // L2 decay enters the gradient (0.5 · 2 = 1), so the first Adam step is a full -lr.
      assertThat(q.toDoubles()[0]).isCloseTo(1.9, offset(1e-7));
    }
  }

  @Test
  void sgdWithMomentumAndNesterov() {
    Parameter p = param(1.0);
    try (Sgd sgd = new Sgd(engine, 0.1, 0.9, false, 0)) {
      step(sgd, p, 1.0);
      step(sgd, p, 1.0);
      // velocity 1 then 1.9: 1 - 0.1 - 0.19
      assertThat(p.toDoubles()[0]).isCloseTo(0.71, offset(1e-12));
    }
    Parameter q = param(1.0);
    try (Sgd nesterov = new Sgd(engine, 0.1, 0.9, true, 0)) {
      step(nesterov, q, 1.0);
      // direction g + μ v = 1 + 0.9
      assertThat(q.toDoubles()[0]).isCloseTo(1.0 - 0.19, offset(1e-12));
    }
  }

  @Test
  void adamMinimisesAQuadratic() {
    Parameter p = param(3.0, -4.0, 0.5);
    try (Adam adam = Adam.adam(engine, 0.05)) {
      for (int i = 0; i < 600; i++) {
        try (MemoryScope scope = engine.scope()) {
          Tensor loss = p.tensor().sub(1.0).square().sum();
          adam.step(List.of(p), engine.gradients(loss, List.of(p.tensor())));
        }
      }
    }
    for (double v : p.toDoubles()) {
      assertThat(v).isCloseTo(1.0, offset(1e-2));
    }
  }

  @Test
  void clippingRescalesOnlyAboveTheBound() {
    try (MemoryScope scope = engine.scope()) {
      Tensor a = engine.fromHost(new double[] {3, 0}, Shape.of(2), DType.FLOAT64);
      Tensor b = engine.fromHost(new double[] {4}, Shape.of(1), DType.FLOAT64);
      assertThat(GradientClipping.globalNorm(List.of(a, b))).isCloseTo(5.0, offset(1e-12));
      List<Tensor> clipped = GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0);
      assertThat(clipped.get(0).toDoubles()[0]).isCloseTo(0.6, offset(1e-12));
      assertThat(clipped.get(0).toDoubles()[1]).isEqualTo(0.0);
      assertThat(clipped.get(1).toDoubles()[0]).isCloseTo(0.8, offset(1e-12));
      assertThat(GradientClipping.clipByGlobalNorm(List.of(a, b), 10.0)).containsExactly(a, b);
    }
  }

  @Test
  void mismatchedGradientNamesTheParameter() {
    Parameter p = param(1.0, 2.0);
    try (Adam adam = Adam.adam(engine, 0.1); MemoryScope scope = engine.scope()) {
      Tensor wrong = engine.fromHost(new double[] {1, 2, 3}, Shape.of(3), DType.FLOAT64);
      assertThatThrownBy(() -> adam.step(List.of(p), List.of(wrong)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("w")
          .hasMessageContaining("[3]")
          .hasMessageContaining("[2]");
    }
  }
}
