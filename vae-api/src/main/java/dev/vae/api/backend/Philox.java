package dev.vae.api.backend;

/**
 * The Philox4x32-10 counter-based generator (Salmon et al., SC'11), the one random stream every
 * backend reproduces. Element i of the stream for {@code (seed, i)} comes from block
 * {@code i / 4}, lane {@code i % 4}, of Philox keyed by the seed's two 32-bit halves with the
 * 128-bit counter (block index low 64 bits, 0 high). Being stateless, it is trivially seekable,
 * parallel on a GPU, and its state in a checkpoint is just (seed, offset).
 *
 * <p>Uniform float32 values use the top 24 bits of a lane, {@code u * 2^-24}; float64 values use
 * lanes (2j, 2j+1) of the double-width stream at element {@code 2i}: {@code (hi27 * 2^26 + lo26) *
 * 2^-53}. Normals are Box-Muller on two uniforms of the double stream at elements {@code 2*(i/2)}
 * and {@code 2*(i/2)+1}: {@code r = sqrt(-2 ln(1 - u1))}, even i takes {@code r cos(2πu2)}, odd i
 * {@code r sin(2πu2)}.
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

  /** One 4-word output block for a counter. */
  public static int[] block(long seed, long counter) {
    int k0 = (int) seed;
    int k1 = (int) (seed >>> 32);
    int c0 = (int) counter;
    int c1 = (int) (counter >>> 32);
    int c2 = 0;
    int c3 = 0;
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
    return new int[] {c0, c1, c2, c3};
  }

  /** Fills {@code out} with uniform float32 numbers in [0, 1) for elements offset.. of the stream. */
  public static void uniformFloats(long seed, long offset, float[] out) {
    for (int i = 0; i < out.length; ) {
      long index = offset + i;
      int[] b = block(seed, index >>> 2);
      for (int lane = (int) (index & 3); lane < 4 && i < out.length; lane++, i++) {
        out[i] = (b[lane] >>> 8) * 0x1.0p-24f;
      }
    }
  }

  /** Fills {@code out} with uniform float64 numbers in [0, 1) for elements offset.. of the stream. */
  public static void uniformDoubles(long seed, long offset, double[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = uniformDouble(seed, offset + i);
    }
  }

  /** Element i of the float64 uniform stream. */
  public static double uniformDouble(long seed, long i) {
    long w = 2 * i;
    int[] b = block(seed, w >>> 2);
    int lane = (int) (w & 3);
    long hi = (b[lane] >>> 5) & 0x7FFFFFFL;
    long lo = (b[lane + 1] >>> 6) & 0x3FFFFFFL;
    return (hi * 67108864.0 + lo) * 0x1.0p-53;
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

  /** Fills {@code out} with standard normal numbers for elements offset.. of the stream. */
  public static void normals(long seed, long offset, double[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = normal(seed, offset + i);
    }
  }
}
