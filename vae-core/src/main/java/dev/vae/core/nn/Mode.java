package dev.vae.core.nn;

import dev.vae.api.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Whether a model's layers run as in training (dropout drops, batch normalisation uses the batch's
 * statistics) or as in evaluation, the default. A model is in training only for the forward pass of
 * a training step ({@link #training}), and then its dropout draws from the step's random stream, so
 * a resumed run draws the same masks. What a training pass changes in a layer's state (batch
 * normalisation's running estimates) waits until the step is taken ({@link #commit}): a step the
 * trainer skips for a non-finite value changes nothing, and a pass that runs a layer twice counts
 * its first run only.
 */
public final class Mode {
  private Rng noise;
  private final Map<Object, Change> pending = new LinkedHashMap<>();

  /** A change a training pass makes to a layer's state. */
  public interface Change {
    /** Makes the change. */
    void apply();

    /** Frees what the change holds without making it. */
    void discard();
  }

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

  /**
   * Runs a forward pass as in training, drawing from {@code noise}; evaluation mode again afterwards.
   * The changes of an earlier pass that were not committed are dropped first.
   */
  public <T> T training(Rng noise, Supplier<T> pass) {
    if (this.noise != null) {
      throw new IllegalStateException("a training pass inside another one");
    }
    discard();
    this.noise = noise;
    try {
      return pass.get();
    } finally {
      this.noise = null;
    }
  }

  /**
   * Keeps {@code change} of {@code layer} until {@link #commit}; a layer's later changes in the same
   * pass are dropped.
   */
  public void defer(Object layer, Change change) {
    if (pending.putIfAbsent(layer, change) != null) {
      change.discard();
    }
  }

  /** Makes the last training pass's changes: its step was taken. */
  public void commit() {
    pending.values().forEach(Change::apply);
    pending.clear();
  }

  /** Drops the changes not committed. */
  public void discard() {
    pending.values().forEach(Change::discard);
    pending.clear();
  }
}
