package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import org.junit.jupiter.api.Test;

/**
 * Scoped memory and recycling: arrays made in a scope are freed when it closes, kept arrays
 * survive, a failed op leaves nothing behind, and once a step has run, repeating it takes all its
 * storage from the pool (allocates none).
 */
class CpuMemoryTest {
  private final CpuBackend backend = new CpuBackend();

  @Test
  void scopesFreeTheirArraysAndKeepMovesOneOut() {
    long before = backend.liveArrays();
    NdArray kept;
    NdArray temporary;
    try (MemoryScope outer = backend.openScope()) {
      try (MemoryScope inner = backend.openScope()) {
        temporary = backend.full(Shape.of(2), DType.FLOAT32, 1);
        kept = inner.keep(backend.unary(Op.EXP, temporary));
        assertThat(inner.size()).isEqualTo(1);
      }
      assertThat(temporary.isClosed()).isTrue();
      assertThat(kept.isClosed()).isFalse();
      assertThat(backend.toFloats(kept)).containsExactly((float) Math.E, (float) Math.E);
      assertThat(backend.liveArrays()).isEqualTo(before + 1);
    }
    assertThat(kept.isClosed()).isTrue();
    assertThat(backend.liveArrays()).isEqualTo(before);
  }

  @Test
  void aFailedOpLeavesNoArrayBehindAndItsStorageIsReused() {
    try (MemoryScope scope = backend.openScope()) {
      NdArray notPositiveDefinite = backend.fromHost(new double[] {1, 2, 2, 1}, Shape.of(2, 2), DType.FLOAT64);
      assertThatThrownBy(() -> backend.cholesky(notPositiveDefinite)).hasMessageContaining("batch index 0");
      assertThat(scope.size()).isEqualTo(1);
      long allocations = backend.storageAllocations();
      backend.full(Shape.of(2, 2), DType.FLOAT64, 0);
      assertThat(backend.storageAllocations()).isEqualTo(allocations);
    }
  }

  @Test
  void aFreedArrayCannotBeReadAndItsStorageServesTheNextResult() {
    NdArray first = backend.full(Shape.of(3), DType.FLOAT32, 7);
    first.close();
    assertThatThrownBy(() -> backend.toFloats(first)).hasMessageContaining("already freed");
    NdArray second = backend.full(Shape.of(3), DType.FLOAT32, 2);
    assertThat(backend.toFloats(second)).containsExactly(2f, 2f, 2f);
    second.close();
  }

  @Test
  void aRepeatedStepAllocatesNoStorageAfterTheFirst() {
    NdArray weights = backend.randomNormal(1, 0, Shape.of(64, 32), DType.FLOAT32);
    NdArray bias = backend.full(Shape.of(32), DType.FLOAT32, 0.1);
    step(weights, bias, 0);
    long allocations = backend.storageAllocations();
    long live = backend.liveArrays();
    for (int i = 1; i <= 200; i++) {
      step(weights, bias, i);
    }
    assertThat(backend.storageAllocations()).isEqualTo(allocations);
    assertThat(backend.liveArrays()).isEqualTo(live);
    weights.close();
    bias.close();
  }

  /** A layer's forward pass, a fused loss and the gradient of its bias, in one scope. */
  private void step(NdArray weights, NdArray bias, long seed) {
    try (MemoryScope scope = backend.openScope()) {
      NdArray x = backend.randomUniform(seed, 0, Shape.of(16, 64), DType.FLOAT32);
      NdArray logits = backend.binary(Op.ADD, backend.matmul(x, weights, false, false), bias);
      NdArray targets = backend.binary(Op.LT, backend.full(Shape.scalar(), DType.FLOAT32, 0.5),
          backend.randomUniform(seed, 1 << 20, Shape.of(16, 32), DType.FLOAT32));
      FusedKernel.ValueAndSlope loss = backend.fused(FusedKernel.BernoulliLogLikelihood.class).orElseThrow()
          .bernoulliLogLikelihood(targets, logits);
      backend.reduce(Op.SUM, loss.slope(), new int[] {0}, false);
      backend.reduce(Op.SUM, loss.value(), new int[0], false);
    }
  }
}
