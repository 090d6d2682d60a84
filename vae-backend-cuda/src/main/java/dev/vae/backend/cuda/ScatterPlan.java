package dev.vae.backend.cuda;

/**
 * The host-side plan of a scatter-add: for every output row, the update rows that land in it, in
 * ascending order ({@code [starts (rows + 1) | sources]}, compressed-row style). The kernel then
 * sums each output element over its list without atomics, in the order the reference adds, so
 * the result is deterministic.
 */
final class ScatterPlan {
  private ScatterPlan() {}

  /** {@code rows + 1} start offsets followed by the update rows grouped by target row. */
  static int[] of(int[] indices, int rows) {
    int[] plan = new int[rows + 1 + indices.length];
    for (int index : indices) {
      plan[index + 1]++;
    }
    for (int r = 0; r < rows; r++) {
      plan[r + 1] += plan[r];
    }
    int[] next = new int[rows];
    for (int i = 0; i < indices.length; i++) {
      int target = indices[i];
      plan[rows + 1 + plan[target] + next[target]++] = i;
    }
    return plan;
  }
}
