package dev.vae.backend.cpu;

/**
 * Per-thread scratch arrays for the loops that need one beside their operands: one per slot and
 * dtype, grown to the largest size asked of it and kept for the thread's next op. Slots keep
 * arrays that one op uses at the same time apart.
 */
final class Scratch {
  /** Slots 0 to 2: the operands {@link Elementwise} broadcasts to the result's layout. */
  static final int OPERANDS = 0;
  /** The column band {@link Blas} copies out of a wider matrix. */
  static final int BAND = 3;
  /** e^−|x| in {@link FusedLoops}. */
  static final int EXPONENTIALS = 4;

  private static final ThreadLocal<Object[]> ARRAYS = ThreadLocal.withInitial(() -> new Object[10]);

  private Scratch() {}

  /** This thread's array for {@code slot}, of {@code like}'s dtype and at least {@code n} long; contents undefined. */
  static Object array(int slot, Object like, int n) {
    Object[] arrays = ARRAYS.get();
    int at = 2 * slot + (like instanceof float[] ? 0 : 1);
    if (arrays[at] == null || java.lang.reflect.Array.getLength(arrays[at]) < n) {
      arrays[at] = like instanceof float[] ? new float[n] : new double[n];
    }
    return arrays[at];
  }
}
