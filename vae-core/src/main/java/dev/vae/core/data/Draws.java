package dev.vae.core.data;

import dev.vae.api.Rng;
import dev.vae.api.backend.HostVariates;
import dev.vae.api.backend.Philox;

/**
 * Sequential draws from an {@link Rng}'s float64 stream, for samplers that use a varying number of
 * uniforms and normals (rejection sampling). Every value comes from stream elements reserved by
 * {@link Rng#advance}, and a normal always takes a whole Box-Muller pair of its own, so uniforms
 * and normals never share stream elements. The rejection samplers come from {@link HostVariates}.
 */
final class Draws extends HostVariates {
  private final Rng rng;

  Draws(Rng rng) {
    this.rng = rng;
  }

  /** U[0, 1) from the next element of the float64 stream. */
  @Override
  public double uniform() {
    return Philox.uniformDouble(rng.seed(), rng.advance(1));
  }

  /** A uniform integer in [0, bound), bound positive; the bias of flooring is below 2^-53 * bound. */
  int below(int bound) {
    return (int) (uniform() * bound);
  }

  /** N(0, 1) from a Box-Muller pair of stream elements reserved for it alone. */
  @Override
  public double normal() {
    if ((rng.offset() & 1) != 0) {
      rng.advance(1);
    }
    return Philox.normal(rng.seed(), rng.advance(2));
  }

  /**
   * Fills {@code out} with standard normals taken in order from the stream, both halves of each
   * Box-Muller pair used. The stream is first aligned to a pair, and an odd count leaves the
   * unused half of the last pair reserved, so nothing drawn later shares its uniforms.
   */
  void normals(double[] out) {
    if ((rng.offset() & 1) != 0) {
      rng.advance(1);
    }
    long first = rng.advance(out.length + (out.length & 1));
    Philox.normals(rng.seed(), first, out);
  }

  /**
   * A uniformly random permutation of 0..n-1 (Fisher-Yates), drawing n - 1 elements of the
   * float64 stream.
   */
  static int[] permutation(int n, Rng rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, rng);
    return order;
  }

  /** Shuffles {@code values} in place (Fisher-Yates), drawing length - 1 stream elements. */
  static void shuffle(int[] values, Rng rng) {
    int n = values.length;
    if (n < 2) {
      return;
    }
    long first = rng.advance(n - 1);
    for (int i = n - 1; i > 0; i--) {
      double u = Philox.uniformDouble(rng.seed(), first + (n - 1 - i));
      int j = (int) (u * (i + 1));
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
