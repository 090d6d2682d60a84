package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reductions over axis sets, matrix products with transposes, Cholesky and triangular solves. */
class CpuReduceAndLinalgTest {
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

  @ParameterizedTest
  @EnumSource(DType.class)
  void sumAndMaxOverEveryAxisSubsetWithAndWithoutKeepDims(DType dtype) {
    Random random = new Random(7);
    for (Shape shape : new Shape[] {Shape.of(2, 3, 4), Shape.of(5, 1, 3), Shape.of(6), Shape.of(1, 1)}) {
      double[] x = HostReference.uniform(random, shape.sizeAsInt(), -2, 2, dtype);
      NdArray in = BACKEND.fromHost(x, shape, dtype);
      int rank = shape.rank();
      for (int mask = 1; mask < (1 << rank); mask++) {
        int[] axes = axesOf(mask, rank);
        for (boolean keepDims : new boolean[] {false, true}) {
          for (Op op : new Op[] {Op.SUM, Op.REDUCE_MAX}) {
            NdArray result = BACKEND.reduce(op, in, axes, keepDims);
            assertThat(result.shape()).isEqualTo(shape.reduce(axes, keepDims));
            double[] want = reduce(op, x, shape, axes);
            double[] got = BACKEND.toDoubles(result);
            for (int i = 0; i < want.length; i++) {
              double expected = HostReference.round(want[i], dtype);
              assertThat(HostReference.close(got[i], expected, dtype == DType.FLOAT32 ? 1e-6 : 1e-14, 1e-6))
                  .as("%s %s %s axes %s: got %s want %s", dtype, op, shape, Arrays.toString(axes), got[i], expected)
                  .isTrue();
            }
          }
        }
      }
    }
  }

  private static int[] axesOf(int mask, int rank) {
    return java.util.stream.IntStream.range(0, rank).filter(a -> (mask & (1 << a)) != 0).toArray();
  }

  private static double[] reduce(Op op, double[] x, Shape shape, int[] axes) {
    Shape kept = shape.reduce(axes, true);
    double[] out = new double[kept.sizeAsInt()];
    Arrays.fill(out, op == Op.SUM ? 0 : Double.NEGATIVE_INFINITY);
    int[] target = HostReference.broadcastIndices(kept, shape);
    for (int i = 0; i < x.length; i++) {
      out[target[i]] = op == Op.SUM ? out[target[i]] + x[i] : Math.max(out[target[i]], x[i]);
    }
    return out;
  }

  @Test
  void reductionsOfEmptyAxesAndScalars() {
    NdArray empty = BACKEND.full(Shape.of(3, 0), DType.FLOAT32, 1);
    assertThat(BACKEND.toDoubles(BACKEND.reduce(Op.SUM, empty, new int[] {1}, false))).containsExactly(0, 0, 0);
    assertThat(BACKEND.toDoubles(BACKEND.reduce(Op.REDUCE_MAX, empty, new int[] {1}, true)))
        .containsExactly(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
    assertThat(BACKEND.reduce(Op.SUM, empty, new int[] {0}, false).shape()).isEqualTo(Shape.of(0));
    assertThat(BACKEND.toDoubles(BACKEND.reduce(Op.REDUCE_MAX, empty, new int[0], false)))
        .containsExactly(Double.NEGATIVE_INFINITY);
    NdArray scalar = BACKEND.full(Shape.scalar(), DType.FLOAT64, 4.5);
    NdArray summed = BACKEND.reduce(Op.SUM, scalar, new int[0], true);
    assertThat(summed.shape()).isEqualTo(Shape.scalar());
    assertThat(BACKEND.toDoubles(summed)).containsExactly(4.5);
    assertThat(BACKEND.toDoubles(BACKEND.reduce(Op.SUM, BACKEND.full(Shape.of(2, 3), DType.FLOAT64, 1),
        new int[] {-1, 0, 1}, false))).containsExactly(6);
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void maxReductionPropagatesNaN(DType dtype) {
    double nan = Double.NaN;
    NdArray x = BACKEND.fromHost(new double[] {1, nan, 3, 2, 5, 4, nan, nan, nan, -1, -2, 7}, Shape.of(4, 3), dtype);
    assertThat(BACKEND.toDoubles(BACKEND.reduce(Op.REDUCE_MAX, x, new int[] {1}, false)))
        .containsExactly(nan, 5, nan, 7);
    assertThat(BACKEND.toDoubles(BACKEND.reduce(Op.REDUCE_MAX, x, new int[] {0}, true))).containsExactly(nan, nan, nan);
    assertThat(BACKEND.toDoubles(BACKEND.reduce(Op.REDUCE_MAX, x, new int[0], false))).containsExactly(nan);
    // Infinities of both signs make the sum NaN without any NaN in the input: the max stays exact.
    NdArray infinities = BACKEND.fromHost(new double[] {Double.POSITIVE_INFINITY, 1, Double.NEGATIVE_INFINITY, 2},
        Shape.of(2, 2), dtype);
    assertThat(BACKEND.toDoubles(BACKEND.reduce(Op.REDUCE_MAX, infinities, new int[] {1}, false)))
        .containsExactly(Double.POSITIVE_INFINITY, 2);
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void matmulWithEveryTransposeRankTwoAndBatched(DType dtype) {
    Random random = new Random(11);
    int[][] sizes = {{3, 4, 5}, {1, 7, 1}, {6, 1, 2}, {17, 9, 13}};
    for (int[] mkn : sizes) {
      int m = mkn[0];
      int k = mkn[1];
      int n = mkn[2];
      for (int batch : new int[] {0, 1, 3}) {
        for (boolean ta : new boolean[] {false, true}) {
          for (boolean tb : new boolean[] {false, true}) {
            Shape sa = batch == 0 ? (ta ? Shape.of(k, m) : Shape.of(m, k)) : (ta ? Shape.of(batch, k, m) : Shape.of(batch, m, k));
            Shape sb = batch == 0 ? (tb ? Shape.of(n, k) : Shape.of(k, n)) : (tb ? Shape.of(batch, n, k) : Shape.of(batch, k, n));
            double[] a = HostReference.uniform(random, sa.sizeAsInt(), -1, 1, dtype);
            double[] b = HostReference.uniform(random, sb.sizeAsInt(), -1, 1, dtype);
            NdArray result = BACKEND.matmul(BACKEND.fromHost(a, sa, dtype), BACKEND.fromHost(b, sb, dtype), ta, tb);
            double[] got = BACKEND.toDoubles(result);
            int batches = Math.max(batch, 1);
            assertThat(result.shape()).isEqualTo(batch == 0 ? Shape.of(m, n) : Shape.of(batch, m, n));
            for (int t = 0; t < batches; t++) {
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                  double sum = 0;
                  for (int p = 0; p < k; p++) {
                    double left = ta ? a[t * m * k + p * m + i] : a[t * m * k + i * k + p];
                    double right = tb ? b[t * k * n + j * k + p] : b[t * k * n + p * n + j];
                    sum += left * right;
                  }
                  assertThat(got[t * m * n + i * n + j])
                      .as("%s [%d,%d,%d] batch %d ta %s tb %s", dtype, m, k, n, batch, ta, tb)
                      .isCloseTo(sum, org.assertj.core.api.Assertions.within(dtype == DType.FLOAT32 ? 1e-5 : 1e-13));
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void matmulWithAnEmptyInnerAxisIsZero() {
    NdArray a = BACKEND.full(Shape.of(2, 0), DType.FLOAT32, 1);
    NdArray b = BACKEND.full(Shape.of(0, 3), DType.FLOAT32, 1);
    NdArray c = BACKEND.matmul(a, b, false, false);
    assertThat(c.shape()).isEqualTo(Shape.of(2, 3));
    assertThat(BACKEND.toDoubles(c)).containsOnly(0);
    assertThat(BACKEND.matmul(b, BACKEND.full(Shape.of(3, 4), DType.FLOAT32, 1), false, false).shape())
        .isEqualTo(Shape.of(0, 4));
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void choleskyReconstructsBatchesAndReadsOnlyTheLowerTriangle(DType dtype) {
    Random random = new Random(5);
    int n = 4;
    int batches = 3;
    double[] spd = new double[batches * n * n];
    for (int t = 0; t < batches; t++) {
      double[] g = HostReference.uniform(random, n * n, -1, 1, DType.FLOAT64);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double s = i == j ? n : 0;
          for (int p = 0; p < n; p++) {
            s += g[i * n + p] * g[j * n + p];
          }
          // Garbage above the diagonal must be ignored.
          spd[t * n * n + i * n + j] = HostReference.round(j > i ? 1e3 : s, dtype);
        }
      }
    }
    NdArray l = BACKEND.cholesky(BACKEND.fromHost(spd, Shape.of(batches, n, n), dtype));
    double[] got = BACKEND.toDoubles(l);
    for (int t = 0; t < batches; t++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (j > i) {
            assertThat(got[t * n * n + i * n + j]).isZero();
            continue;
          }
          double s = 0;
          for (int p = 0; p < n; p++) {
            s += got[t * n * n + i * n + p] * got[t * n * n + j * n + p];
          }
          assertThat(s).isCloseTo(spd[t * n * n + i * n + j],
              org.assertj.core.api.Assertions.within(dtype == DType.FLOAT32 ? 1e-4 : 1e-12));
        }
      }
    }
  }

  @Test
  void choleskyNamesTheFirstBatchIndexThatIsNotPositiveDefinite() {
    double[] data = {
        4, 0, 0, 9, // batch 0: fine
        1, 0, 0, 1, // batch 1: fine
        1, 0, 2, 1, // batch 2: [[1, 2], [2, 1]] is indefinite
        Double.NaN, 0, 0, 1, // batch 3: NaN
    };
    NdArray a = BACKEND.fromHost(data, Shape.of(2, 2, 2, 2), DType.FLOAT32);
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.cholesky(a))
        .withMessageContaining("batch index 2").withMessageContaining("[2, 2, 2, 2]");
    NdArray nan = BACKEND.fromHost(Arrays.copyOfRange(data, 12, 16), Shape.of(2, 2), DType.FLOAT64);
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.cholesky(nan)).withMessageContaining("batch index 0");
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.cholesky(BACKEND.full(Shape.of(2, 3), DType.FLOAT64, 1)))
        .withMessageContaining("[2, 3]");
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void triangularSolveInAllFourOrientations(DType dtype) {
    Random random = new Random(3);
    int n = 5;
    int k = 3;
    int batches = 2;
    for (boolean lower : new boolean[] {true, false}) {
      for (boolean transpose : new boolean[] {false, true}) {
        double[] a = new double[batches * n * n];
        for (int i = 0; i < a.length; i++) {
          int row = (i / n) % n;
          int col = i % n;
          boolean inTriangle = lower ? col <= row : col >= row;
          // The other triangle holds garbage the solve must not read.
          a[i] = HostReference.round(row == col ? 2 + random.nextDouble() : inTriangle ? random.nextDouble() - 0.5 : 99, dtype);
        }
        double[] b = HostReference.uniform(random, batches * n * k, -1, 1, dtype);
        NdArray x = BACKEND.triangularSolve(BACKEND.fromHost(a, Shape.of(batches, n, n), dtype),
            BACKEND.fromHost(b, Shape.of(batches, n, k), dtype), lower, transpose);
        double[] got = BACKEND.toDoubles(x);
        for (int t = 0; t < batches; t++) {
          for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
              double s = 0;
              for (int p = 0; p < n; p++) {
                int row = transpose ? p : i;
                int col = transpose ? i : p;
                boolean inTriangle = lower ? col <= row : col >= row;
                double coefficient = inTriangle ? a[t * n * n + row * n + col] : 0;
                s += coefficient * got[t * n * k + p * k + c];
              }
              assertThat(s).as("lower %s transpose %s", lower, transpose)
                  .isCloseTo(b[t * n * k + i * k + c], org.assertj.core.api.Assertions.within(dtype == DType.FLOAT32 ? 1e-5 : 1e-13));
            }
          }
        }
      }
    }
  }
}
