package dev.vae.core.train;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import java.util.Arrays;

/**
 * One training step's data as tensors of the model's dtype: a batch of examples and, for models
 * that pair them (semi-supervised M2), a labelled batch with its labels beside it.
 *
 * @param x the batch [rows, features]
 * @param labelled the paired labelled batch, or null
 * @param labelledLabels the paired batch's labels, or null
 */
public record TrainingBatch(Tensor x, Tensor labelled, int[] labelledLabels) {
  /** A batch without a paired one. */
  static TrainingBatch of(Tensor x) {
    return new TrainingBatch(x, null, null);
  }

  /** The examples of the (unpaired) batch. */
  public int rows() {
    return x.dim(0);
  }

  /**
   * The first {@code rows} rows of a row-major batch buffer of {@code features} values per row, as
   * a tensor of {@code dtype} on {@code engine}.
   */
  public static Tensor rows(Engine engine, DType dtype, float[] buffer, int rows, int features) {
    float[] values = rows * features == buffer.length ? buffer : Arrays.copyOf(buffer, rows * features);
    return engine.fromHost(values, Shape.of(rows, features)).cast(dtype);
  }
}
