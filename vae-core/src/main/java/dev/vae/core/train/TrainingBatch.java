package dev.vae.core.train;

import dev.vae.api.Tensor;

/**
 * One training step's data as tensors of the model's dtype: a batch of examples and, for models
 * that pair them (semi-supervised M2), a labelled batch beside it.
 *
 * @param x the batch [rows, features]
 * @param labels its labels, or null when the batch carries none
 * @param labelled the paired labelled batch, or null
 * @param labelledLabels the paired batch's labels, or null
 */
public record TrainingBatch(Tensor x, int[] labels, Tensor labelled, int[] labelledLabels) {
  /** A batch without a paired one. */
  public static TrainingBatch of(Tensor x, int[] labels) {
    return new TrainingBatch(x, labels, null, null);
  }

  /** The examples of the (unpaired) batch. */
  public int rows() {
    return x.dim(0);
  }
}
