package dev.vae.core.train;

import dev.vae.core.eval.LatentDiagnostics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What is measured after each epoch, apart from training: a validation set's terms, latent
 * diagnostics, accuracies. One measure may drive early stopping.
 */
public interface EpochEvaluation {
  /** The measures after epoch {@code epoch} (from 0). */
  Measures measure(int epoch);

  /** The measure early stopping watches, larger being better; empty when none is measured. */
  default Optional<String> selection() {
    return Optional.empty();
  }

  /**
   * One epoch's measures.
   *
   * @param values by name (NaN where not measured)
   * @param diagnostics the latent diagnostics, or {@link LatentDiagnostics#none} when not measured
   */
  record Measures(Map<String, Double> values, LatentDiagnostics diagnostics) {
    public Measures {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }
}
