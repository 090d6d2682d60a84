package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Products large enough that {@link Blas} cuts them into bands shared between threads, by rows
 * (more rows than columns) and by columns, in every orientation and batched, against a plain
 * triple loop in double: each band's operands are addressed in place or copied out, and every
 * element of the result must come from the band that owns it.
 */
class CpuMatmulBandsTest {
  private final CpuBackend backend = new CpuBackend();

  @ParameterizedTest(name = "{0} batches of [{1} x {2}] . [{2} x {3}], transposes {4} {5}")
  @CsvSource({
      "1, 513, 301, 97, false, false", "1, 513, 301, 97, true, false", "1, 513, 301, 97, false, true",
      "1, 513, 301, 97, true, true", "1, 97, 301, 513, false, false", "1, 97, 301, 513, true, false",
      "1, 97, 301, 513, false, true", "1, 97, 301, 513, true, true", "3, 129, 257, 67, true, false",
      "3, 67, 257, 129, false, true"})
  void bandsOfALargeProductEqualTheProductInEveryOrientation(int batches, int m, int k, int n,
      boolean transposeA, boolean transposeB) {
    assertThat((long) batches * m * n * k).isGreaterThanOrEqualTo(Blas.SHARED_FROM);
    Random random = new Random(m * 31L + n);
    float[] a = random(random, batches * m * k);
    float[] b = random(random, batches * k * n);
    try (MemoryScope scope = backend.openScope()) {
      NdArray x = backend.fromHost(a, batches == 1 ? (transposeA ? Shape.of(k, m) : Shape.of(m, k))
          : (transposeA ? Shape.of(batches, k, m) : Shape.of(batches, m, k)));
      NdArray y = backend.fromHost(b, batches == 1 ? (transposeB ? Shape.of(n, k) : Shape.of(k, n))
          : (transposeB ? Shape.of(batches, n, k) : Shape.of(batches, k, n)));
      float[] c = backend.toFloats(backend.matmul(x, y, transposeA, transposeB));
      for (int batch = 0; batch < batches; batch++) {
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double sum = 0;
            double scale = 0;
            for (int p = 0; p < k; p++) {
              double left = a[batch * m * k + (transposeA ? p * m + i : i * k + p)];
              double right = b[batch * k * n + (transposeB ? j * k + p : p * n + j)];
              sum += left * right;
              scale += Math.abs(left * right);
            }
            assertThat((double) c[(batch * m + i) * n + j]).as("C[%d][%d][%d]", batch, i, j)
                .isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-5 * scale + 1e-6));
          }
        }
      }
    }
  }

  private static float[] random(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (2 * random.nextDouble() - 1);
    }
    return values;
  }
}
