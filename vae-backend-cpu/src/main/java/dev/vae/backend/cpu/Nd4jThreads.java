package dev.vae.backend.cpu;

import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads libnd4j may use for the next op. On a machine where libnd4j runs two threads,
 * handing an op to its second thread costs more than the op itself for the arrays a VAE's step
 * works on: an add of two [128, 400] float32 arrays takes 140–190 µs on two threads and 55–75 µs
 * on one, and even [1100, 784] is faster on one (BENCHMARKS.md, "libnd4j's threads"). There, ops on
 * fewer than {@link #PARALLEL_ELEMENTS} elements run on the calling thread, and so do matrix
 * products of fewer than {@link #PARALLEL_MULTIPLY_ADDS} multiply-adds: inside a training step
 * the VAE's 128 × 784 × 400 products ran slower on BLAS's two threads than on one (BENCHMARKS.md,
 * "One BLAS thread for a step's products"), while M2's 1100-row products gain from the second.
 * With more threads (not measured yet) libnd4j and BLAS keep choosing for themselves.
 *
 * <p>The settings are libnd4j's process-wide limit on its "master" threads and BLAS's thread
 * count, each switched only when it changes; a race between two backends on different threads can
 * only cost speed, not correctness.
 */
final class Nd4jThreads {
  /** libnd4j's own limit when this class was loaded: what matrix products and large arrays get. */
  static final int ALL = Nd4j.getEnvironment().maxMasterThreads();

  /**
   * The least number of elements for which an elementwise op or reduction may use every thread:
   * 2<sup>20</sup> with at most two threads, 0 (no limit of ours) with more.
   */
  static final long PARALLEL_ELEMENTS = ALL <= 2 ? 1L << 20 : 0;

  /**
   * The least number of multiply-adds for which a matrix product may use every thread:
   * 2<sup>27</sup> with at most two threads, 0 with more.
   */
  static final long PARALLEL_MULTIPLY_ADDS = ALL <= 2 ? 1L << 27 : 0;

  private static int current = ALL;
  private static int currentBlas = Nd4j.factory().blas().getMaxThreads();

  private Nd4jThreads() {}

  /** Sets the limit for an op that reads or writes {@code elements} elements (the larger count). */
  static void forElements(long elements) {
    use(elements < PARALLEL_ELEMENTS ? 1 : ALL);
  }

  /** Sets the limits of libnd4j and BLAS for a matrix product of {@code multiplyAdds} multiply-adds. */
  static void forMatmul(long multiplyAdds) {
    int threads = multiplyAdds < PARALLEL_MULTIPLY_ADDS ? 1 : ALL;
    use(threads);
    useBlas(threads);
  }

  private static synchronized void use(int threads) {
    if (threads != current) {
      Nd4j.getEnvironment().setMaxMasterThreads(threads);
      current = threads;
    }
  }

  private static synchronized void useBlas(int threads) {
    if (threads != currentBlas) {
      Nd4j.factory().blas().setMaxThreads(threads);
      currentBlas = threads;
    }
  }
}
