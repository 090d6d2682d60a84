package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reductions over any axes: each output reads exactly the input elements numpy's reduction would. */
class ReduceLayoutTest {
  private final Random random = new Random(7);

  @Test
  void everyOutputReducesExactlyItsElements() {
    for (int trial = 0; trial < 300; trial++) {
      int[] dims = new int[random.nextInt(6)];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = random.nextInt(4) + (random.nextInt(5) == 0 ? 0 : 1);
      }
      Shape shape = Shape.of(dims);
      List<Integer> axesList = new ArrayList<>();
      for (int axis = 0; axis < dims.length; axis++) {
        if (random.nextBoolean()) {
          axesList.add(axis);
        }
      }
      int[] axes = axesList.stream().mapToInt(Integer::intValue).toArray();
      int[] normalised = axes.length == 0 && random.nextBoolean() ? shape.normaliseAxes() : axes;
      check(shape, normalised);
    }
  }

  private static void check(Shape shape, int[] axes) {
    ReduceLayout layout = ReduceLayout.of(shape, axes);
    Shape kept = shape.reduce(axes, true);
    assertThat(layout.outputs()).as("%s over %s", shape, Arrays.toString(axes)).isEqualTo(kept.size());
    long count = 1;
    for (int axis : axes) {
      count *= shape.dim(axis);
    }
    assertThat(layout.count()).as("%s over %s", shape, Arrays.toString(axes)).isEqualTo(count);
    // Slow way: group every input element by its output slot.
    List<List<Long>> expected = new ArrayList<>();
    for (long o = 0; o < kept.size(); o++) {
      expected.add(new ArrayList<>());
    }
    int[] keptStrides = kept.strides();
    for (long i = 0; i < shape.size(); i++) {
      long rest = i;
      long slot = 0;
      for (int axis = shape.rank() - 1; axis >= 0; axis--) {
        long coordinate = rest % shape.dim(axis);
        rest /= shape.dim(axis);
        if (kept.dim(axis) != 1) {
          slot += coordinate * keptStrides[axis];
        }
      }
      expected.get((int) slot).add(i);
    }
    for (long o = 0; o < layout.outputs(); o++) {
      List<Long> actual = new ArrayList<>();
      for (long r = 0; r < layout.count(); r++) {
        actual.add(layout.inputOffset(o, r));
      }
      assertThat(actual).as("%s over %s: %s, output %d", shape, Arrays.toString(axes), layout, o)
          .containsExactlyInAnyOrderElementsOf(expected.get((int) o));
    }
  }

  @Test
  void contiguousGroupsMerge() {
    ReduceLayout lastTwo = ReduceLayout.of(Shape.of(5, 6, 7), new int[] {1, 2});
    assertThat(lastTwo.keptRank()).isEqualTo(1);
    assertThat(lastTwo.reducedRank()).isEqualTo(1);
    assertThat(lastTwo.count()).isEqualTo(42);
    ReduceLayout all = ReduceLayout.of(Shape.of(2, 3, 4), new int[] {0, 1, 2});
    assertThat(all.keptRank()).isZero();
    assertThat(all.outputs()).isEqualTo(1);
    assertThat(all.reducedRank()).isEqualTo(1);
    ReduceLayout middle = ReduceLayout.of(Shape.of(2, 3, 4), new int[] {1});
    assertThat(middle.keptRank()).isEqualTo(2);
    assertThat(middle.reducedRank()).isEqualTo(1);
  }

  @Test
  void emptyAxesGiveNoOutputsOrNothingToReduce() {
    assertThat(ReduceLayout.of(Shape.of(2, 0, 3), new int[] {1}).count()).isZero();
    assertThat(ReduceLayout.of(Shape.of(2, 0, 3), new int[] {1}).outputs()).isEqualTo(6);
    assertThat(ReduceLayout.of(Shape.of(2, 0, 3), new int[] {2}).outputs()).isZero();
  }

  @Test
  void largeReductionsTakeABlockPerOutput() {
    assertThat(ReduceLayout.of(Shape.of(1000, 10), new int[] {1}).blockPerOutput()).isFalse();
    assertThat(ReduceLayout.of(Shape.of(10, 255), new int[] {1}).blockPerOutput()).isFalse();
    assertThat(ReduceLayout.of(Shape.of(10, 256), new int[] {1}).blockPerOutput()).isTrue();
    assertThat(ReduceLayout.of(Shape.of(100_000), new int[] {0}).blockPerOutput()).isTrue();
  }

  @Test
  void packedLayoutHasKeptThenReducedGroups() {
    long[] words = ReduceLayout.of(Shape.of(2, 3, 4), new int[] {1}).packed();
    int m = KernelAbi.MAX_RANK;
    assertThat(Arrays.copyOfRange(words, 0, 2)).containsExactly(2, 4);
    assertThat(Arrays.copyOfRange(words, m, m + 2)).containsExactly(12, 1);
    assertThat(words[2 * m]).isEqualTo(3);
    assertThat(words[3 * m]).isEqualTo(4);
  }
}
