package dev.vae.core.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.backend.Op;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The gradient table covers every primitive the SPI declares differentiable. */
class GradientRulesTest {
  @Test
  void everyDifferentiableOpHasARule() {
    assertThat(Arrays.stream(Op.values()).filter(Op::differentiable).filter(op -> !GradientRules.hasRule(op)))
        .as("differentiable ops without a gradient rule")
        .isEmpty();
  }

  @Test
  void nonDifferentiableOpsHaveNoRule() {
    assertThat(Arrays.stream(Op.values()).filter(op -> !op.differentiable()).filter(GradientRules::hasRule))
        .as("ops declared non-differentiable that nevertheless have a rule")
        .isEmpty();
  }
}
