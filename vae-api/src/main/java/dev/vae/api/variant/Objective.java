package dev.vae.api.variant;

import dev.vae.api.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A variant's objective for one batch: the scalar {@code loss} training minimises, and named scalar
 * tensors worth reporting beside the ELBO's own terms (the current beta, the capacity target, the
 * IWAE bound, …), in the order given.
 */
public record Objective(Tensor loss, Map<String, Tensor> reported) {
  public Objective {
    if (loss.shape().rank() != 0) {
      throw new IllegalArgumentException("an objective's loss must be a scalar, got shape " + loss.shape());
    }
    reported = Collections.unmodifiableMap(new LinkedHashMap<>(reported));
  }

  /** A loss with nothing extra to report. */
  public static Objective of(Tensor loss) {
    return new Objective(loss, Map.of());
  }
}
