package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pool hands a freed array back only for the same dtype and shape, keeps no more than its
 * capacity and nothing too large or not laid out as a fresh result, and frees what it does not keep.
 */
class ArrayPoolTest {
  static {
    new CpuBackend(); // loads ND4J with float32 as its default
  }

  private static INDArray fresh(DataType type, long... shape) {
    return Nd4j.createUninitializedDetached(type, shape);
  }

  @Test
  void aFreedArrayComesBackForItsOwnDtypeAndShapeOnly() {
    ArrayPool pool = new ArrayPool(1 << 20);
    INDArray freed = fresh(DataType.FLOAT, 3, 4);
    pool.give(DType.FLOAT32, Shape.of(3, 4), freed);

    assertThat(pool.take(DType.FLOAT32, Shape.of(4, 3))).isNull();
    assertThat(pool.take(DType.FLOAT64, Shape.of(3, 4))).isNull();
    assertThat(pool.keptBytes()).isEqualTo(3 * 4 * 4);
    assertThat(pool.take(DType.FLOAT32, Shape.of(3, 4))).isSameAs(freed);
    assertThat(pool.take(DType.FLOAT32, Shape.of(3, 4))).as("handed out once only").isNull();
    assertThat(pool.keptBytes()).isZero();
    freed.close();
  }

  @Test
  void arraysBeyondTheCapacityAreFreedAtOnce() {
    ArrayPool pool = new ArrayPool(100 * 8);
    INDArray first = fresh(DataType.DOUBLE, 10, 10);
    INDArray second = fresh(DataType.DOUBLE, 10, 10);
    pool.give(DType.FLOAT64, Shape.of(10, 10), first);
    pool.give(DType.FLOAT64, Shape.of(10, 10), second);

    assertThat(first.wasClosed()).isFalse();
    assertThat(second.wasClosed()).isTrue();
    assertThat(pool.keptBytes()).isEqualTo(800);
    pool.clear();
    assertThat(first.wasClosed()).isTrue();
    assertThat(pool.keptBytes()).isZero();
  }

  @Test
  void largeArraysAndArraysOfOtherLayoutsOrShapesAreNotKept() {
    ArrayPool pool = new ArrayPool(1L << 30);
    long largeColumns = ArrayPool.MAX_ARRAY_BYTES / 4 + 1;
    INDArray large = fresh(DataType.FLOAT, 1, largeColumns);
    INDArray columnMajor = Nd4j.createUninitialized(DataType.FLOAT, new long[] {3, 4}, 'f');
    INDArray mislabelled = fresh(DataType.FLOAT, 3, 4);
    pool.give(DType.FLOAT32, Shape.of(1, (int) largeColumns), large);
    pool.give(DType.FLOAT32, Shape.of(3, 4), columnMajor);
    pool.give(DType.FLOAT32, Shape.of(2, 6), mislabelled);

    assertThat(large.wasClosed()).isTrue();
    assertThat(columnMajor.wasClosed()).isTrue();
    assertThat(mislabelled.wasClosed()).isTrue();
    assertThat(pool.keptBytes()).isZero();
  }

  @Test
  void capacityZeroKeepsNothingAndABadCapacityIsNamed() {
    ArrayPool off = new ArrayPool(0);
    INDArray freed = fresh(DataType.FLOAT, 2, 2);
    off.give(DType.FLOAT32, Shape.of(2, 2), freed);
    assertThat(freed.wasClosed()).isTrue();

    assertThatThrownBy(() -> new ArrayPool(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 0");
    String before = System.getProperty(ArrayPool.CAPACITY_PROPERTY);
    System.setProperty(ArrayPool.CAPACITY_PROPERTY, "lots");
    try {
      assertThatThrownBy(ArrayPool::fromSystemProperty).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(ArrayPool.CAPACITY_PROPERTY + "=lots")
          .hasMessageContaining("whole number of bytes");
    } finally {
      if (before == null) {
        System.clearProperty(ArrayPool.CAPACITY_PROPERTY);
      } else {
        System.setProperty(ArrayPool.CAPACITY_PROPERTY, before);
      }
    }
  }

  @Test
  void aReusedBufferHoldsOnlyItsNewResultAndTheOldHandleStaysClosed() {
    try (CpuBackend backend = new CpuBackend()) {
      NdArray x = backend.fromHost(new float[] {1, 2, 3, 4}, Shape.of(2, 2));
      NdArray old;
      try (MemoryScope scope = backend.openScope()) {
        old = backend.unary(Op.NEG, x);
      }
      try (MemoryScope scope = backend.openScope()) {
        NdArray reused = backend.unary(Op.EXP, x);
        assertThat(backend.toFloats(reused)).containsExactly(
            (float) Math.exp(1), (float) Math.exp(2), (float) Math.exp(3), (float) Math.exp(4));
      }
      assertThat(old.isClosed()).isTrue();
      assertThatThrownBy(() -> backend.toFloats(old)).isInstanceOf(IllegalStateException.class);
      x.close();
    }
  }
}
