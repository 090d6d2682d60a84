package dev.vae.api;

/**
 * An explicit, seedable position in the framework's one random stream ({@link
 * dev.vae.api.backend.Philox}). Whoever draws random numbers takes an Rng and advances it; nothing
 * hides global random state. Its whole state is two longs, so a checkpoint restores it exactly,
 * and every backend draws the same numbers from the same state.
 */
public final class Rng {
  private final long seed;
  private long offset;

  public Rng(long seed) {
    this(seed, 0);
  }

  /** Resumes a stream at a saved offset. */
  public Rng(long seed, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("random stream offset must be non-negative, got " + offset);
    }
    this.seed = seed;
    this.offset = offset;
  }

  public long seed() {
    return seed;
  }

  /** How many numbers have been drawn from this stream so far. */
  public long offset() {
    return offset;
  }

  /** Reserves the next {@code count} stream elements and returns the offset of the first. */
  public long advance(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("cannot draw a negative number of values: " + count);
    }
    long first = offset;
    offset += count;
    return first;
  }

  /**
   * An independent stream derived from this one and a label (e.g. an epoch number), for work that
   * must not shift this stream's position.
   */
  public Rng fork(long label) {
    long mixed = seed * 0x9E3779B97F4A7C15L + label;
    mixed ^= mixed >>> 33;
    mixed *= 0xFF51AFD7ED558CCDL;
    mixed ^= mixed >>> 33;
    return new Rng(mixed);
  }

  @Override
  public String toString() {
    return "Rng(seed=" + seed + ", offset=" + offset + ")";
  }
}
