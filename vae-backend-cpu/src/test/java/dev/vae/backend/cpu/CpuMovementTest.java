package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Movement ops, casts and transfers: values, shapes, and that every result owns its buffer. */
class CpuMovementTest {
  private static final CpuBackend BACKEND = new CpuBackend();

  private MemoryScope scope;

  @BeforeEach
  void open() {
    scope = BACKEND.openScope();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  private static double[] iota(int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = i + 1;
    }
    return out;
  }

  @Test
  void everyResultOwnsItsBufferAndOutlivesItsInput() {
    NdArray x = BACKEND.fromHost(iota(24), Shape.of(2, 3, 4), DType.FLOAT32);
    List<NdArray> results = List.of(
        BACKEND.reshape(x, Shape.of(6, 4)),
        BACKEND.reshape(x, Shape.of(2, 3, 4)),
        BACKEND.permute(x, new int[] {0, 1, 2}),
        BACKEND.permute(x, new int[] {2, 0, 1}),
        BACKEND.slice(x, new int[] {0, 0, 0}, new int[] {2, 3, 4}),
        BACKEND.slice(x, new int[] {1, 1, 0}, new int[] {2, 3, 4}),
        BACKEND.broadcastTo(x, Shape.of(2, 3, 4)),
        BACKEND.concat(List.of(x), 1),
        BACKEND.gather(x, new int[] {1}),
        BACKEND.cast(x, DType.FLOAT32),
        BACKEND.unary(Op.NEG, x));
    double[][] before = new double[results.size()][];
    for (int i = 0; i < results.size(); i++) {
      NdArray r = results.get(i);
      assertThat(r).isNotSameAs(x);
      INDArray nd = ((Nd4jArray) r).nd();
      assertThat(nd.isView()).as("result %d is an ND4J view", i).isFalse();
      assertThat(nd.closeable()).as("result %d can free its buffer", i).isTrue();
      assertThat(nd.data().address()).isNotEqualTo(((Nd4jArray) x).nd().data().address());
      assertThat(nd.ordering()).isEqualTo('c');
      before[i] = BACKEND.toDoubles(r);
    }
    x.close();
    for (int i = 0; i < results.size(); i++) {
      assertThat(BACKEND.toDoubles(results.get(i))).as("result %d after its input was freed", i).containsExactly(before[i]);
    }
    assertThatIllegalStateException().isThrownBy(() -> BACKEND.toDoubles(x));
    assertThatIllegalStateException().isThrownBy(() -> BACKEND.unary(Op.EXP, x));
  }

  @Test
  void reshapeKeepsRowMajorOrderIncludingScalars() {
    NdArray x = BACKEND.fromHost(iota(6), Shape.of(2, 3), DType.FLOAT64);
    NdArray r = BACKEND.reshape(x, Shape.of(3, 1, 2));
    assertThat(r.shape()).isEqualTo(Shape.of(3, 1, 2));
    assertThat(BACKEND.toDoubles(r)).containsExactly(1, 2, 3, 4, 5, 6);
    NdArray one = BACKEND.fromHost(new double[] {7}, Shape.of(1, 1), DType.FLOAT32);
    NdArray scalar = BACKEND.reshape(one, Shape.scalar());
    assertThat(scalar.shape()).isEqualTo(Shape.scalar());
    assertThat(BACKEND.toDoubles(BACKEND.reshape(scalar, Shape.of(1)))).containsExactly(7);
    assertThat(BACKEND.reshape(BACKEND.full(Shape.of(0, 3), DType.FLOAT32, 0), Shape.of(3, 0)).shape())
        .isEqualTo(Shape.of(3, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.reshape(x, Shape.of(4)))
        .withMessageContainingAll("[2, 3]", "[4]");
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void permuteMatchesIndexArithmetic(DType dtype) {
    Shape shape = Shape.of(2, 3, 4, 5);
    double[] x = iota(shape.sizeAsInt());
    NdArray in = BACKEND.fromHost(x, shape, dtype);
    int[][] perms = {{3, 2, 1, 0}, {1, 0, 2, 3}, {0, 2, 3, 1}, {2, 3, 0, 1}};
    for (int[] perm : perms) {
      NdArray out = BACKEND.permute(in, perm);
      double[] got = BACKEND.toDoubles(out);
      for (int i = 0; i < got.length; i++) {
        int[] outIndex = HostReference.multiIndex(out.shape(), i);
        int[] inIndex = new int[4];
        for (int a = 0; a < 4; a++) {
          inIndex[perm[a]] = outIndex[a];
        }
        assertThat(got[i]).isEqualTo(x[HostReference.flat(shape, inIndex)]);
      }
    }
    NdArray vector = BACKEND.permute(BACKEND.fromHost(x, Shape.of(x.length), dtype), new int[] {0});
    assertThat(BACKEND.toDoubles(vector)).containsExactly(x);
  }

  @Test
  void sliceTakesHalfOpenBlocksIncludingEmptyOnes() {
    Shape shape = Shape.of(3, 4, 5);
    double[] x = iota(60);
    NdArray in = BACKEND.fromHost(x, shape, DType.FLOAT32);
    int[] start = {1, 0, 2};
    int[] end = {3, 4, 4};
    NdArray s = BACKEND.slice(in, start, end);
    assertThat(s.shape()).isEqualTo(Shape.of(2, 4, 2));
    double[] got = BACKEND.toDoubles(s);
    for (int i = 0; i < got.length; i++) {
      int[] idx = HostReference.multiIndex(s.shape(), i);
      for (int a = 0; a < 3; a++) {
        idx[a] += start[a];
      }
      assertThat(got[i]).isEqualTo(x[HostReference.flat(shape, idx)]);
    }
    assertThat(BACKEND.slice(in, new int[] {1, 1, 1}, new int[] {1, 3, 5}).shape()).isEqualTo(Shape.of(0, 2, 4));
    NdArray vector = BACKEND.fromHost(iota(6), Shape.of(6), DType.FLOAT64);
    assertThat(BACKEND.toDoubles(BACKEND.slice(vector, new int[] {2}, new int[] {5}))).containsExactly(3, 4, 5);
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.slice(in, new int[] {0, 0, 0}, new int[] {3, 5, 5}))
        .withMessageContaining("[3, 4, 5]");
  }

  @Test
  void concatJoinsAlongAnyAxisAndSkipsEmptyParts() {
    NdArray a = BACKEND.fromHost(iota(6), Shape.of(2, 3), DType.FLOAT32);
    NdArray b = BACKEND.fromHost(new double[] {10, 20}, Shape.of(2, 1), DType.FLOAT32);
    NdArray empty = BACKEND.full(Shape.of(2, 0), DType.FLOAT32, 0);
    NdArray joined = BACKEND.concat(List.of(a, empty, b, a), -1);
    assertThat(joined.shape()).isEqualTo(Shape.of(2, 7));
    assertThat(BACKEND.toDoubles(joined)).containsExactly(1, 2, 3, 10, 1, 2, 3, 4, 5, 6, 20, 4, 5, 6);
    NdArray rows = BACKEND.concat(List.of(a, BACKEND.full(Shape.of(0, 3), DType.FLOAT32, 0), a), 0);
    assertThat(BACKEND.toDoubles(rows)).containsExactly(1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6);
    assertThat(BACKEND.concat(List.of(empty, empty), 1).shape()).isEqualTo(Shape.of(2, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.concat(List.of(a, b), 0))
        .withMessageContainingAll("[2, 3]", "[2, 1]");
  }

  @Test
  void broadcastToRepeatsSizeOneAndMissingAxes() {
    NdArray column = BACKEND.fromHost(new double[] {1, 2, 3}, Shape.of(3, 1), DType.FLOAT64);
    NdArray b = BACKEND.broadcastTo(column, Shape.of(2, 3, 2));
    assertThat(BACKEND.toDoubles(b)).containsExactly(1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3);
    NdArray scalar = BACKEND.full(Shape.scalar(), DType.FLOAT32, 2.5);
    assertThat(BACKEND.toDoubles(BACKEND.broadcastTo(scalar, Shape.of(2, 2)))).containsExactly(2.5, 2.5, 2.5, 2.5);
    assertThat(BACKEND.broadcastTo(column, Shape.of(3, 0)).shape()).isEqualTo(Shape.of(3, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.broadcastTo(column, Shape.of(4, 2)))
        .withMessageContainingAll("[3, 1]", "[4, 2]");
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void gatherRepeatsRowsAndScatterAddAccumulatesRepeatedIndices(DType dtype) {
    NdArray x = BACKEND.fromHost(iota(12), Shape.of(4, 3), dtype);
    NdArray g = BACKEND.gather(x, new int[] {3, 0, 0, 2});
    assertThat(BACKEND.toDoubles(g)).containsExactly(10, 11, 12, 1, 2, 3, 1, 2, 3, 7, 8, 9);
    NdArray vector = BACKEND.fromHost(iota(4), Shape.of(4), dtype);
    assertThat(BACKEND.toDoubles(BACKEND.gather(vector, new int[] {1, 1, 3}))).containsExactly(2, 2, 4);
    assertThat(BACKEND.gather(x, new int[0]).shape()).isEqualTo(Shape.of(0, 3));

    NdArray scattered = BACKEND.scatterAdd(g, new int[] {1, 4, 1, 1}, 6);
    assertThat(scattered.shape()).isEqualTo(Shape.of(6, 3));
    assertThat(BACKEND.toDoubles(scattered))
        .containsExactly(0, 0, 0, 18, 21, 24, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0);
    // One update row: libnd4j would read [1, 3] as a vector of three elements.
    assertThat(BACKEND.toDoubles(BACKEND.scatterAdd(BACKEND.gather(x, new int[] {2}), new int[] {1}, 3)))
        .containsExactly(0, 0, 0, 7, 8, 9, 0, 0, 0);
    assertThat(BACKEND.toDoubles(BACKEND.scatterAdd(BACKEND.fromHost(new double[] {5}, Shape.of(1), dtype),
        new int[] {2}, 3))).containsExactly(0, 0, 5);
    assertThat(BACKEND.toDoubles(BACKEND.scatterAdd(BACKEND.full(Shape.of(0, 2), dtype, 1), new int[0], 2)))
        .containsExactly(0, 0, 0, 0);
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.gather(x, new int[] {4}))
        .withMessageContaining("index 4");
  }

  @Test
  void scatterAddIsExactUnderHeavyRepetition() {
    int n = 50_000;
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i % 3;
    }
    NdArray ones = BACKEND.full(Shape.of(n, 4), DType.FLOAT32, 1);
    double[] got = BACKEND.toDoubles(BACKEND.scatterAdd(ones, indices, 3));
    assertThat(got).containsExactly(16667, 16667, 16667, 16667, 16667, 16667, 16667, 16667,
        16666, 16666, 16666, 16666);
  }

  @Test
  void castsRoundToNearestAndTransfersRoundTrip() {
    double[] values = {1.0 / 3, 1e-50, 1e40, -0.1, Double.NaN, Double.NEGATIVE_INFINITY};
    NdArray d = BACKEND.fromHost(values, Shape.of(2, 3), DType.FLOAT64);
    assertThat(BACKEND.toDoubles(d)).containsExactly(values);
    NdArray f = BACKEND.cast(d, DType.FLOAT32);
    assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
    float[] rounded = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      rounded[i] = (float) values[i];
    }
    assertThat(BACKEND.toFloats(f)).containsExactly(rounded);
    assertThat(BACKEND.toFloats(d)).containsExactly(rounded);
    assertThat(BACKEND.toDoubles(BACKEND.cast(f, DType.FLOAT64))).containsExactly(BACKEND.toDoubles(f));
    assertThat(BACKEND.toFloats(BACKEND.fromHost(rounded, Shape.of(6)))).containsExactly(rounded);
    assertThat(BACKEND.toDoubles(BACKEND.fromHost(values, Shape.of(6), DType.FLOAT32))).containsExactly(BACKEND.toDoubles(f));
    assertThat(BACKEND.toDoubles(BACKEND.full(Shape.of(2), DType.FLOAT32, 0.1))).containsExactly((float) 0.1, (float) 0.1);
    assertThat(BACKEND.toDoubles(BACKEND.full(Shape.scalar(), DType.FLOAT64, Double.NaN))).containsExactly(Double.NaN);
    assertThat(BACKEND.toDoubles(BACKEND.full(Shape.of(0), DType.FLOAT64, 1))).isEmpty();
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.fromHost(new double[3], Shape.of(2, 2), DType.FLOAT32))
        .withMessageContaining("[2, 2]");
  }

  @Test
  void arraysFromAnotherBackendAreRejected() {
    NdArray foreign = new dev.vae.api.backend.AbstractNdArray(Shape.of(1), DType.FLOAT32) {
      @Override
      protected void release() {}
    };
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.unary(Op.EXP, foreign))
        .withMessageContaining("did not make");
  }

  @Test
  void largeTransfersAndHostKernelsSplitAcrossThreadsGiveTheSameValues() {
    int n = 3 * HostKernels.PARALLEL_GRAIN + 17;
    Random random = new Random(9);
    double[] x = HostReference.uniform(random, n, 0.1, 20, DType.FLOAT64);
    NdArray in = BACKEND.fromHost(x, Shape.of(n), DType.FLOAT64);
    double[] got = BACKEND.toDoubles(BACKEND.unary(Op.LGAMMA, in));
    for (int i = 0; i < n; i++) {
      assertThat(got[i]).isEqualTo(SpecialFunctions.lgamma(x[i]));
    }
  }
}
