package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A product computed in bands by {@link SplitGemm} equals the product summed in double on the host,
 * for every transpose, both ways of cutting (rows and columns), two and four bands, and sizes that
 * do not divide evenly.
 */
class SplitGemmTest {
  static {
    new CpuBackend(); // loads ND4J with float32 as its default
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void bandsOfTheProductEqualTheProduct(DType dtype) {
    Random random = new Random(5);
    // {m, k, n}: rows cut (m >= n) and columns cut (m < n), with two bands and with four
    int[][] sizes = {{131, 97, 89}, {67, 203, 151}, {301, 123, 257}, {61, 150, 1201}, {3, 2, 1}};
    for (int[] mkn : sizes) {
      int m = mkn[0];
      int k = mkn[1];
      int n = mkn[2];
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          double[] a = HostReference.uniform(random, m * k, -1, 1, dtype);
          double[] b = HostReference.uniform(random, k * n, -1, 1, dtype);
          INDArray x = Nd4j.create(a, ta ? new long[] {k, m} : new long[] {m, k}, 'c').castTo(CpuBackend.nd4jType(dtype));
          INDArray y = Nd4j.create(b, tb ? new long[] {n, k} : new long[] {k, n}, 'c').castTo(CpuBackend.nd4jType(dtype));
          INDArray z = Nd4j.createUninitializedDetached(CpuBackend.nd4jType(dtype), m, n);
          SplitGemm.multiply(x, y, z, ta, tb);
          double[] got = z.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
          double tolerance = (dtype == DType.FLOAT32 ? 1e-6 : 1e-14) * k;
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double sum = 0;
              for (int p = 0; p < k; p++) {
                sum += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
              }
              if (Math.abs(got[i * n + j] - sum) > tolerance) {
                assertThat(got[i * n + j]).as("%s [%d,%d,%d] ta %s tb %s at (%d, %d)", dtype, m, k, n, ta, tb, i, j)
                    .isCloseTo(sum, within(tolerance));
              }
            }
          }
        }
      }
    }
  }
}
