package dev.vae.core.io;

import dev.vae.api.Rng;

/**
 * The whole state of one random stream, as a checkpoint stores it: the seed and how many numbers
 * have been drawn. Restoring it with {@link #toRng()} continues the stream exactly where it was.
 */
public record RngState(long seed, long offset) {
  /** Checks that the offset is non-negative, as {@link Rng} requires. */
  public RngState {
    if (offset < 0) {
      throw new IllegalArgumentException("random stream offset must be non-negative, got " + offset);
    }
  }

  /** The current state of {@code rng}. */
  public static RngState of(Rng rng) {
    return new RngState(rng.seed(), rng.offset());
  }

  /** A stream positioned where this state was taken. */
  public Rng toRng() {
    return new Rng(seed, offset);
  }
}
