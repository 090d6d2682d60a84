package dev.vae.core.kernel;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import org.junit.jupiter.api.Test;

/** Calling kernels by name: unknown kernels, wrong inputs and misuse of the slope recording fail, saying why. */
class KernelCallTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  @Test
  void anUnknownKernelIsNamedWithTheKnownOnes() {
    try (MemoryScope scope = engine.scope()) {
      Tensor x = engine.full(Shape.of(2), DType.FLOAT64, 1);
      assertThatIllegalArgumentException().isThrownBy(() -> engine.kernel(FusedKernel.AdamUpdate.class, x))
          .withMessageContaining("AdamUpdate").withMessageContaining("Softplus").withMessageContaining(
              "BernoulliLogLikelihood");
    }
  }

  @Test
  void wrongInputsNameTheKernelAndTheShapes() {
    try (MemoryScope scope = engine.scope()) {
      Tensor wide = engine.full(Shape.of(2, 3), DType.FLOAT64, 1);
      Tensor tall = engine.full(Shape.of(3, 2), DType.FLOAT64, 1);
      assertThatIllegalArgumentException().isThrownBy(() -> engine.kernel(FusedKernel.BernoulliLogLikelihood.class,
          wide, tall)).withMessageContaining("Bernoulli").withMessageContaining("[2, 3]").withMessageContaining("[3, 2]");
      assertThatIllegalArgumentException().isThrownBy(() -> engine.kernel(FusedKernel.Softplus.class, wide, tall))
          .withMessageContaining("softplus takes one tensor, got 2");
    }
  }

  @Test
  void aSlopeGivesOneInputItsGradient() {
    try (MemoryScope scope = engine.scope()) {
      Tensor x = engine.variable(engine.backend().full(Shape.of(2, 3), DType.FLOAT64, 0.5));
      Tensor y = engine.variable(engine.backend().full(Shape.of(2, 3), DType.FLOAT64, 0.5));
      FusedKernel.ValueAndSlope both = new FusedKernel.ValueAndSlope(engine.arrayOf(x), engine.arrayOf(x));
      assertThatIllegalArgumentException().isThrownBy(() -> engine.recordWithSlope("F", both, false, x, y))
          .withMessageContaining("one input, got 2");
      assertThatIllegalArgumentException().isThrownBy(() -> engine.recordWithSlope("F", both, true, x, y))
          .withMessageContaining("another input requires one");
    }
  }
}
