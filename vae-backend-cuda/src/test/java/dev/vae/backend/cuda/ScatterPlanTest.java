package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scatter plans list, for every output row, the update rows landing there in ascending order. */
class ScatterPlanTest {
  @Test
  void groupsUpdatesByTargetRowInOrder() {
    int[] plan = ScatterPlan.of(new int[] {2, 0, 2, 3, 2}, 4);
    assertThat(Arrays.copyOf(plan, 5)).containsExactly(0, 1, 1, 4, 5);
    assertThat(Arrays.copyOfRange(plan, 5, 10)).containsExactly(1, 0, 2, 4, 3);
  }

  @Test
  void emptyCases() {
    assertThat(ScatterPlan.of(new int[0], 3)).containsExactly(0, 0, 0, 0);
    assertThat(ScatterPlan.of(new int[0], 0)).containsExactly(0);
  }

  @Test
  void sumsFollowingThePlanEqualTheReferenceLoop() {
    Random random = new Random(3);
    for (int trial = 0; trial < 100; trial++) {
      int rows = random.nextInt(6) + 1;
      int[] indices = random.ints(random.nextInt(12), 0, rows).toArray();
      double[] updates = random.doubles(indices.length).toArray();
      double[] expected = new double[rows];
      for (int i = 0; i < indices.length; i++) {
        expected[indices[i]] += updates[i];
      }
      int[] plan = ScatterPlan.of(indices, rows);
      double[] actual = new double[rows];
      for (int r = 0; r < rows; r++) {
        for (int s = plan[r]; s < plan[r + 1]; s++) {
          actual[r] += updates[plan[rows + 1 + s]];
        }
      }
      assertThat(actual).as("bit for bit, same order of additions").containsExactly(expected);
    }
  }
}
