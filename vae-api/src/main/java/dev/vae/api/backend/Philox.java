package dev.vae.api.backend;

/**
 * The Philox4x32-10 counter-based generator (Salmon et al., SC'11), the one random stream every
 * backend reproduces, keyed by the seed's two 32-bit halves. Being stateless, it is trivially
 * seekable, parallel on a GPU, and its state in a checkpoint is just (seed, offset).
 *
 * <ul>
 *   <li>Float32 uniform element i: lane {@code i % 4} of the block at 128-bit counter
 *       {@code (i / 4, 0)}, top 24 bits: {@code (w >>> 8) * 2^-24}.
 *   <li>Float64 uniform element i: lanes {@code 2(i % 2)} (high) and {@code 2(i % 2) + 1} (low) of
 *       the block at counter {@code (i / 2, 1)}: {@code ((hi >>> 5) * 2^26 + (lo >>> 6)) * 2^-53}.
 *       The second counter word keeps the two streams apart, so draws of either dtype from one
 *       {@link dev.vae.api.Rng} never share words.
 *   <li>Normal element i (either dtype, float32 rounded from float64): Box-Muller on float64
 *       uniforms u1, u2 at elements {@code 2(i/2)} and {@code 2(i/2) + 1}: {@code r = sqrt(-2 ln(1 -
 *       u1))}, even i takes {@code r cos(2πu2)}, odd i {@code r sin(2πu2)}.
 * </ul>
 */
public final class Philox {
  private static final int M0 = 0xD2511F53;
  private static final int M1 = 0xCD9E8D57;
  private static final int W0 = 0x9E3779B9;
  private static final int W1 = 0xBB67AE85;

  private Philox() {}

  /** Lane {@code index % 4} of the block {@code index / 4}: a uniformly random 32-bit word. */
  public static int word(long seed, long index) {
    int[] block = block(seed, index >>> 2);
    return block[(int) (index & 3)];
  }

  /** One 4-word output block for a counter whose high 64 bits are zero. */
  public static int[] block(long seed, long counter) {
    return block(seed, counter, 0L);
  }

  /** One 4-word output block for the 128-bit counter (counterHigh, counterLow). */
  public static int[] block(long seed, long counterLow, long counterHigh) {
    int[] out = new int[4];
    blockInto(seed, counterLow, counterHigh, out);
    return out;
  }

  /** As {@link #block(long, long, long)}, writing into {@code out} so loops allocate nothing. */
  private static void blockInto(long seed, long counterLow, long counterHigh, int[] out) {
    int k0 = (int) seed;
    int k1 = (int) (seed >>> 32);
    int c0 = (int) counterLow;
    int c1 = (int) (counterLow >>> 32);
    int c2 = (int) counterHigh;
    int c3 = (int) (counterHigh >>> 32);
    for (int round = 0; round < 10; round++) {
      long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
      long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
      int hi0 = (int) (p0 >>> 32);
      int lo0 = (int) p0;
      int hi1 = (int) (p1 >>> 32);
      int lo1 = (int) p1;
      int n0 = hi1 ^ c1 ^ k0;
      int n1 = lo1;
      int n2 = hi0 ^ c3 ^ k1;
      int n3 = lo0;
      c0 = n0;
      c1 = n1;
      c2 = n2;
      c3 = n3;
      k0 += W0;
      k1 += W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
  }

  /** Fills {@code out} with uniform float32 numbers in [0, 1) for elements offset.. of the stream. */
  public static void uniformFloats(long seed, long offset, float[] out) {
    int[] b = new int[4];
    for (int i = 0; i < out.length; ) {
      long index = offset + i;
      blockInto(seed, index >>> 2, 0L, b);
      for (int lane = (int) (index & 3); lane < 4 && i < out.length; lane++, i++) {
        out[i] = (b[lane] >>> 8) * 0x1.0p-24f;
      }
    }
  }

  /** Fills {@code out} with uniform float64 numbers in [0, 1) for elements offset.. of the stream. */
  public static void uniformDoubles(long seed, long offset, double[] out) {
    int[] b = new int[4];
    long loaded = -1;
    for (int i = 0; i < out.length; i++) {
      long element = offset + i;
      if (element >>> 1 != loaded) {
        loaded = element >>> 1;
        blockInto(seed, loaded, 1L, b);
      }
      int lane = (int) (element & 1) * 2;
      out[i] = toDouble(b[lane], b[lane + 1]);
    }
  }

  /** Element i of the float64 uniform stream. */
  public static double uniformDouble(long seed, long i) {
    int[] b = block(seed, i >>> 1, 1L);
    int lane = (int) (i & 1) * 2;
    return toDouble(b[lane], b[lane + 1]);
  }

  /** A float64 in [0, 1) from the top 27 bits of {@code hi} and the top 26 of {@code lo}. */
  private static double toDouble(int hi, int lo) {
    return (((hi >>> 5) & 0x7FFFFFFL) * 67108864.0 + ((lo >>> 6) & 0x3FFFFFFL)) * 0x1.0p-53;
  }

  /** Element i of the standard normal stream (see class comment). */
  public static double normal(long seed, long i) {
    long pair = i & ~1L;
    double u1 = uniformDouble(seed, pair);
    double u2 = uniformDouble(seed, pair + 1);
    double r = Math.sqrt(-2.0 * Math.log1p(-u1));
    double angle = 2.0 * Math.PI * u2;
    return (i & 1) == 0 ? r * Math.cos(angle) : r * Math.sin(angle);
  }

  /**
   * Fills {@code out} with standard normal numbers for elements offset.. of the stream. A pair of
   * normals (elements 2k, 2k+1) uses the float64 uniforms 2k and 2k+1, i.e. one Philox block.
   */
  public static void normals(long seed, long offset, double[] out) {
    int[] b = new int[4];
    for (int i = 0; i < out.length; ) {
      long element = offset + i;
      blockInto(seed, element >>> 1, 1L, b);
      double r = Math.sqrt(-2.0 * Math.log1p(-toDouble(b[0], b[1])));
      double angle = 2.0 * Math.PI * toDouble(b[2], b[3]);
      if ((element & 1) == 0) {
        out[i++] = r * Math.cos(angle);
        if (i < out.length) {
          out[i++] = r * Math.sin(angle);
        }
      } else {
        out[i++] = r * Math.sin(angle);
      }
    }
  }

}
