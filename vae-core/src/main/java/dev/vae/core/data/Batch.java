package dev.vae.core.data;

/**
 * One mini-batch on the host: {@code rows × features} float32 values, row-major, ready for one
 * transfer to the backend. The arrays are freshly made for the receiver, who may keep or change
 * them.
 *
 * @param epoch the epoch it belongs to
 * @param index its position within the epoch, from 0
 * @param rows the number of examples in it (the last batch of an epoch may be smaller)
 * @param features values per example
 * @param values the examples' values, after binarisation if any
 * @param labels the examples' labels, or null when the data set has none
 * @param exampleIndices for each row, the example's index in the data set
 */
public record Batch(
    int epoch, int index, int rows, int features, float[] values, int[] labels, int[] exampleIndices) {

  /** Whether the batch carries labels. */
  public boolean hasLabels() {
    return labels != null;
  }
}
