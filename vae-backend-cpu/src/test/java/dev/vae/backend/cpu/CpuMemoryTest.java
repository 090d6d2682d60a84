package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Scoped memory: arrays made in a scope are freed when it closes, kept arrays survive, and a
 * million small ops in step scopes leave both the live-array count and the process's native
 * memory where they were after a warm-up.
 */
class CpuMemoryTest {
  private static final CpuBackend BACKEND = new CpuBackend();
  /** A leaked 8x8 float32 array costs at least its 256-byte buffer; a million of them, 256 MB. */
  private static final long ALLOWED_GROWTH = 48L << 20;

  @Test
  void javacppDoesNotMeasureResidentMemoryAtEveryAllocation() {
    assertThat(System.getProperty(CpuBackend.MAX_PHYSICAL_BYTES)).isEqualTo("0");
    assertThat(Pointer.maxPhysicalBytes()).isZero();
  }

  @Test
  void scopesFreeTheirArraysAndKeepMovesOneOut() {
    long before = BACKEND.liveArrays();
    NdArray kept;
    NdArray temporary;
    try (MemoryScope outer = BACKEND.openScope()) {
      try (MemoryScope inner = BACKEND.openScope()) {
        temporary = BACKEND.full(Shape.of(2), DType.FLOAT32, 1);
        kept = inner.keep(BACKEND.unary(Op.EXP, temporary));
        assertThat(inner.size()).isEqualTo(1);
      }
      assertThat(temporary.isClosed()).isTrue();
      assertThat(kept.isClosed()).isFalse();
      assertThat(BACKEND.toFloats(kept)).containsExactly((float) Math.E, (float) Math.E);
      assertThat(BACKEND.liveArrays()).isEqualTo(before + 1);
    }
    assertThat(kept.isClosed()).isTrue();
    assertThat(BACKEND.liveArrays()).isEqualTo(before);
  }

  @Test
  void aFailedOpLeavesNoArrayBehind() {
    long before = BACKEND.liveArrays();
    NdArray notPositiveDefinite = BACKEND.fromHost(new double[] {1, 2, 2, 1}, Shape.of(2, 2), DType.FLOAT64);
    try {
      BACKEND.cholesky(notPositiveDefinite);
    } catch (IllegalArgumentException expected) {
      // The failure itself is checked elsewhere; here only the bookkeeping matters.
    }
    notPositiveDefinite.close();
    assertThat(BACKEND.liveArrays()).isEqualTo(before);
  }

  @Test
  void closingAnArrayReturnsItsNativeMemoryAtOnce() {
    // 64 arrays of 32 MB, 2 GB in all, each freed before the next: without a real free the
    // process would grow by gigabytes, since so little Java garbage never prompts a collection.
    Shape shape = Shape.of(1024, 1024, 8);
    try (MemoryScope warmUp = BACKEND.openScope()) {
      BACKEND.full(shape, DType.FLOAT32, 1);
    }
    long before = nativeBytes();
    for (int i = 0; i < 64; i++) {
      try (MemoryScope scope = BACKEND.openScope()) {
        NdArray big = BACKEND.full(shape, DType.FLOAT32, i);
        BACKEND.unary(Op.NEG, big);
      }
    }
    assertThat(nativeBytes() - before).as("native memory growth after 2 GB allocated and freed")
        .isLessThan(ALLOWED_GROWTH);
  }

  @Test
  void aMillionSmallOpsInStepScopesLeaveNativeMemoryFlat() {
    Random random = new Random(1);
    float[] values = new float[64];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() - 0.5f;
    }
    NdArray x = BACKEND.fromHost(values, Shape.of(8, 8));
    NdArray w = BACKEND.full(Shape.of(8, 8), DType.FLOAT32, 0.5);
    NdArray row = BACKEND.full(Shape.of(8), DType.FLOAT32, 0.25);
    long liveBaseline = BACKEND.liveArrays();

    // ND4J frees a few small native objects of each array only when the collector finds its Java
    // side, and malloc's per-thread arenas settle in, so native memory climbs by a few megabytes
    // over the first few hundred thousand ops, then holds.
    runSteps(1_000, x, w, row);
    long nativeAfterWarmUp = nativeBytes();
    long trackedAfterWarmUp = Pointer.totalBytes();

    runSteps(10_000, x, w, row);
    long nativeGrowth = nativeBytes() - nativeAfterWarmUp;
    long trackedGrowth = Pointer.totalBytes() - trackedAfterWarmUp;

    assertThat(BACKEND.liveArrays()).isEqualTo(liveBaseline);
    assertThat(nativeGrowth).as("growth of the process's memory outside the Java heap over 1,000,000 ops")
        .isLessThan(ALLOWED_GROWTH);
    assertThat(trackedGrowth).as("growth of JavaCPP's tracked native memory").isLessThan(ALLOWED_GROWTH);
    x.close();
    w.close();
    row.close();
  }

  /**
   * The process's resident memory less the JVM's committed heap and non-heap areas (code cache,
   * metaspace). ND4J leaves Java garbage behind every array (its own bookkeeping for
   * garbage-collected deallocation), so the heap grows and shrinks with the collector's mood; what
   * is left is native memory. The module's tests run with a fixed, pre-touched heap, which makes the
   * subtraction exact.
   */
  private static long nativeBytes() {
    return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory()
        - ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted();
  }

  /** Each step: a scope with 100 elementwise ops on 8x8 arrays, all of them temporaries. */
  private static void runSteps(int steps, NdArray x, NdArray w, NdArray row) {
    for (int step = 0; step < steps; step++) {
      try (MemoryScope scope = BACKEND.openScope()) {
        NdArray y = x;
        for (int i = 0; i < 20; i++) {
          y = BACKEND.binary(Op.MUL, y, w);
          y = BACKEND.binaryScalar(Op.ADD, y, 0.1, false);
          y = BACKEND.unary(Op.TANH, y);
          y = i % 2 == 0 ? BACKEND.binary(Op.ADD, y, row) : BACKEND.binaryScalar(Op.MAX, y, 0, false);
          y = BACKEND.binaryScalar(Op.SUB, y, 0.1, true);
        }
        assertThat(scope.size()).isEqualTo(100);
      }
    }
  }
}
