package dev.vae.core.eval;

import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import java.util.Arrays;

/**
 * Runs a measurement over the n rows of a data set batch by batch, each batch in its own memory
 * scope; a measurement that needs no gradients opens {@link Engine#noGrad} around it.
 */
final class RowBatches {
  /** What is done with one batch: its first row's index and its rows [rows, m] in the model's dtype. */
  interface Body {
    void accept(int startRow, Tensor x);
  }

  private RowBatches() {}

  /** Calls {@code body} on the rows of {@code data} ([n, m] row-major) {@code batchSize} at a time. */
  static void forEach(Vae vae, float[] data, int n, int batchSize, Body body) {
    int m = vae.dataDimension();
    Engine engine = vae.engine();
    for (int start = 0; start < n; start += batchSize) {
      int rows = Math.min(batchSize, n - start);
      try (MemoryScope scope = engine.scope()) {
        body.accept(start, engine.fromHost(Arrays.copyOfRange(data, start * m, (start + rows) * m),
            Shape.of(rows, m)).cast(vae.dtype()));
      }
    }
  }
}
