package dev.vae.core.posterior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Inverse autoregressive flow: each step's output i never depends on inputs at or after i in its
 * order (a perturbation test), the log-determinant against the numerical Jacobian through steps
 * of both orders, a density that integrates to 1 in two dimensions, and gradients against finite
 * differences in the draws and the context.
 */
class InverseAutoregressiveFlowTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  private static InverseAutoregressiveFlow flow(Engine engine, int steps, int d, int context) {
    return new InverseAutoregressiveFlow(engine, steps, d, context, 16, 2, new Rng(7), DType.FLOAT64);
  }

  private double[] map(InverseAutoregressiveFlow flow, double[] z0, double[] context) {
    try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
      return flow.forward(engine.fromHost(z0, Shape.of(1, z0.length), DType.FLOAT64),
          engine.fromHost(context, Shape.of(1, context.length), DType.FLOAT64)).z().toDoubles();
    }
  }

  private double logDeterminant(InverseAutoregressiveFlow flow, double[] z0, double[] context) {
    try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
      return flow.forward(engine.fromHost(z0, Shape.of(1, z0.length), DType.FLOAT64),
          engine.fromHost(context, Shape.of(1, context.length), DType.FLOAT64)).logDeterminant().item();
    }
  }

  @Test
  void aStepsOutputNeverSeesItsOwnOrLaterInputs() {
    int d = 5;
    InverseAutoregressiveFlow flow = flow(engine, 2, d, 3);
    double[] context = {0.3, -1.2, 0.8};
    double[] z = new Random(1).doubles(d, -1, 1).toArray();
    for (int k = 0; k < 2; k++) {
      int[] place = InverseAutoregressiveFlow.order(d, k == 1);
      double[] before = step(flow, k, z, context);
      for (int i = 0; i < d; i++) {
        double[] moved = z.clone();
        moved[i] += 0.7;
        double[] after = step(flow, k, moved, context);
        boolean laterMoved = false;
        for (int j = 0; j < d; j++) {
          if (place[j] < place[i]) {
            assertThat(after[j]).as("step %d: output %d after moving input %d", k, j, i).isEqualTo(before[j]);
          } else if (j != i) {
            laterMoved |= after[j] != before[j];
          }
        }
        assertThat(after[i]).as("step %d: output %d moves with its own input", k, i).isNotEqualTo(before[i]);
        assertThat(laterMoved || place[i] == d).as("step %d: later outputs see input %d", k, i).isTrue();
      }
    }
  }

  @Test
  void theContextReachesEveryOutputOfAStep() {
    InverseAutoregressiveFlow flow = flow(engine, 2, 4, 3);
    double[] z = {0.2, -0.7, 1.1, 0.4};
    for (int k = 0; k < 2; k++) {
      double[] before = step(flow, k, z, new double[] {0.3, -1.2, 0.8});
      double[] after = step(flow, k, z, new double[] {0.3, -0.2, 0.8});
      for (int j = 0; j < 4; j++) {
        assertThat(after[j]).as("step %d, output %d", k, j).isNotEqualTo(before[j]);
      }
    }
  }

  private double[] step(InverseAutoregressiveFlow flow, int k, double[] z, double[] context) {
    try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
      return flow.step(k, engine.fromHost(z, Shape.of(1, z.length), DType.FLOAT64),
          engine.fromHost(context, Shape.of(1, context.length), DType.FLOAT64)).z().toDoubles();
    }
  }

  @Test
  void theLogDeterminantIsThatOfTheNumericalJacobianThroughStepsOfBothOrders() {
    InverseAutoregressiveFlow flow = flow(engine, 3, 3, 2);
    Random random = new Random(2);
    for (int trial = 0; trial < 4; trial++) {
      double[] z = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
      double[] context = {random.nextGaussian(), random.nextGaussian()};
      double numeric = FlowDensity.logAbsDeterminant(FlowDensity.jacobian(z0 -> map(flow, z0, context), z));
      assertThat(logDeterminant(flow, z, context)).as("trial %d", trial).isCloseTo(numeric, within(1e-7));
    }
  }

  @Test
  void theFlowsDensityIntegratesToOneInTwoDimensions() {
    InverseAutoregressiveFlow flow = flow(engine, 2, 2, 2);
    double[] context = {0.9, -0.4};
    assertThat(FlowDensity.integral(z0 -> map(flow, z0, context), z0 -> logDeterminant(flow, z0, context), 8, 160))
        .isCloseTo(1.0, within(2e-3));
  }

  @Test
  void gradientsThroughTheFlowMatchFiniteDifferences() {
    InverseAutoregressiveFlow flow = flow(engine, 2, 3, 2);
    GradientCheck check = new GradientCheck(engine, 4);
    List<Shape> shapes = List.of(Shape.of(4, 3), Shape.of(4, 2));
    List<double[]> at = List.of(check.normal(shapes.get(0)), check.normal(shapes.get(1)));
    check.check("IAF, z", in -> flow.forward(in.get(0), in.get(1)).z(), shapes, at);
    check.check("IAF, log-determinant", in -> flow.forward(in.get(0), in.get(1)).logDeterminant(), shapes, at);
  }

  @Test
  void itsWeightsAreNamedAndBadSettingsAreRefused() {
    InverseAutoregressiveFlow flow = flow(engine, 2, 3, 2);
    // Per step: three masked layers (weight, bias) and the context's two projections.
    assertThat(flow.parameters()).hasSize(16);
    assertThat(flow.parameters().get(6).name()).isEqualTo("iaf.0.context");
    assertThat(flow.parameters().get(7).name()).isEqualTo("iaf.0.output-context");
    assertThatIllegalArgumentException().isThrownBy(() -> new InverseAutoregressiveFlow(engine, 0, 3, 2, 16, 2,
        new Rng(1), DType.FLOAT64)).withMessageContaining("steps=0");
  }
}
