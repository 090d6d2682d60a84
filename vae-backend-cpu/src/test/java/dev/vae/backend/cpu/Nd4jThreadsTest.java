package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** libnd4j's and BLAS's thread limits follow the size of each op, and ops above the limit still compute the same. */
class Nd4jThreadsTest {
  private static final CpuBackend BACKEND = new CpuBackend();

  @Test
  void smallOpsRunOnOneThread() {
    Shape shape = Shape.of(128, 400);
    int expected = shape.size() < Nd4jThreads.PARALLEL_ELEMENTS ? 1 : Nd4jThreads.ALL;
    try (MemoryScope scope = BACKEND.openScope()) {
      NdArray a = BACKEND.full(shape, DType.FLOAT32, 1.5);
      BACKEND.binary(Op.ADD, a, a);
      assertThat(Nd4j.getEnvironment().maxMasterThreads()).isEqualTo(expected);
    }
  }

  @Test
  void matrixProductsTakeEveryThreadOnlyAboveTheirThreshold() {
    try (MemoryScope scope = BACKEND.openScope()) {
      NdArray small = BACKEND.full(Shape.of(128, 400), DType.FLOAT32, 1.5);
      BACKEND.matmul(small, small, false, true);
      int expectedSmall = 128L * 128 * 400 < Nd4jThreads.PARALLEL_MULTIPLY_ADDS ? 1 : Nd4jThreads.ALL;
      assertThat(Nd4j.getEnvironment().maxMasterThreads()).isEqualTo(expectedSmall);
      assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(expectedSmall);

      NdArray large = BACKEND.full(Shape.of(512, 512), DType.FLOAT32, 0.5);
      assertThat(512L * 512 * 512).isGreaterThanOrEqualTo(Nd4jThreads.PARALLEL_MULTIPLY_ADDS);
      float[] product = BACKEND.toFloats(BACKEND.matmul(large, large, false, false));
      assertThat(Nd4j.getEnvironment().maxMasterThreads()).isEqualTo(Nd4jThreads.ALL);
      assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(Nd4jThreads.ALL);
      assertThat(product[0]).isEqualTo(512 * 0.25f);
      assertThat(product[product.length - 1]).isEqualTo(512 * 0.25f);
    }
  }

  @Test
  void opsAboveTheThresholdAgreeWithHostArithmetic() {
    int rows = 2048;
    int columns = (int) (Math.max(Nd4jThreads.PARALLEL_ELEMENTS, 1L << 20) / rows) + 3;
    Random random = new Random(7);
    float[] x = new float[rows * columns];
    float[] y = new float[rows * columns];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
      y[i] = (float) random.nextGaussian();
    }
    try (MemoryScope scope = BACKEND.openScope()) {
      NdArray a = BACKEND.fromHost(x, Shape.of(rows, columns));
      NdArray b = BACKEND.fromHost(y, Shape.of(rows, columns));
      float[] product = BACKEND.toFloats(BACKEND.binary(Op.MUL, a, b));
      float[] rowSums = BACKEND.toFloats(BACKEND.reduce(Op.SUM, a, new int[] {1}, false));
      for (int i = 0; i < x.length; i += 997) {
        assertThat(product[i]).isEqualTo(x[i] * y[i]);
      }
      for (int r = 0; r < rows; r += 101) {
        double expected = 0;
        for (int c = 0; c < columns; c++) {
          expected += x[r * columns + c];
        }
        assertThat((double) rowSums[r]).isCloseTo(expected, within(1e-3));
      }
    }
  }
}
