package dev.vae.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapeTest {
  private final Shape shape = Shape.of(2, 3, 4, 5);

  @Test
  void normaliseAxesMapsNegativeAxesSortsAndDropsRepeats() {
    assertThat(shape.normaliseAxes(-1, 0, 3, 1, -4, 1)).containsExactly(0, 1, 3);
    assertThat(shape.normaliseAxes(2)).containsExactly(2);
  }

  @Test
  void normaliseAxesOfNothingIsEveryAxis() {
    assertThat(shape.normaliseAxes()).containsExactly(0, 1, 2, 3);
    assertThat(Shape.of().normaliseAxes()).isEmpty();
  }

  @Test
  void normaliseAxesLeavesItsArgumentAlone() {
    int[] axes = {3, -3, 3};
    shape.normaliseAxes(axes);
    assertThat(axes).containsExactly(3, -3, 3);
  }

  @Test
  void normaliseAxesNamesAnAxisOutOfRange() {
    assertThatThrownBy(() -> shape.normaliseAxes(1, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("axis 4")
        .hasMessageContaining(shape.toString());
    assertThatThrownBy(() -> shape.normaliseAxes(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("axis -5");
  }
}
