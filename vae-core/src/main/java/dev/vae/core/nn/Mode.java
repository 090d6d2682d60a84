package dev.vae.core.nn;

import dev.vae.api.Rng;
import java.util.function.Supplier;

/**
 * Whether a model's layers run as in training (dropout drops, batch normalisation uses and records
 * the batch's statistics) or as in evaluation, the default. A model is in training only for the
 * forward pass of a training step ({@link #training}), and then its dropout draws from the step's
 * random stream, so a resumed run draws the same masks.
 */
public final class Mode {
  private Rng noise;

  /** True inside {@link #training}. */
  public boolean training() {
    return noise != null;
  }

  /** The stream a training pass draws from; fails outside one. */
  public Rng noise() {
    if (noise == null) {
      throw new IllegalStateException("random draws of a layer in evaluation mode: only training passes draw");
    }
    return noise;
  }

  /** Runs a forward pass as in training, drawing from {@code noise}; evaluation mode again afterwards. */
  public <T> T training(Rng noise, Supplier<T> pass) {
    if (this.noise != null) {
      throw new IllegalStateException("a training pass inside another one");
    }
    this.noise = noise;
    try {
      return pass.get();
    } finally {
      this.noise = null;
    }
  }
}
