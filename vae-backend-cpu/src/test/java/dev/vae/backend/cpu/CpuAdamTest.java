package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The fused Adam / AdamW update against the formula written out in float64. */
class CpuAdamTest {
  private static final CpuBackend BACKEND = new CpuBackend();

  @Test
  void offersAdamAndSoftplus() {
    assertThat(BACKEND.fused(FusedKernel.AdamUpdate.class)).isPresent();
    assertThat(BACKEND.fused(FusedKernel.Softplus.class)).isPresent();
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void threeStepsMatchTheFormulaInPlace(DType dtype) {
    FusedKernel.AdamUpdate adam = BACKEND.fused(FusedKernel.AdamUpdate.class).orElseThrow();
    Random random = new Random(2);
    int n = 37;
    Shape shape = Shape.of(n);
    double[] p = HostReference.uniform(random, n, -1, 1, dtype);
    double[] m = new double[n];
    double[] v = new double[n];
    long liveBefore = BACKEND.liveArrays();
    NdArray param = BACKEND.fromHost(p, shape, dtype);
    NdArray first = BACKEND.fromHost(m, shape, dtype);
    NdArray second = BACKEND.fromHost(v, shape, dtype);
    double lr = 1e-2;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double wd = 0.05;
    for (long step = 1; step <= 3; step++) {
      double[] g = HostReference.uniform(random, n, -2, 2, dtype);
      try (MemoryScope scope = BACKEND.openScope()) {
        adam.adamUpdate(param, BACKEND.fromHost(g, shape, dtype), first, second, lr, b1, b2, eps, wd, step);
      }
      double c1 = 1 - Math.pow(b1, step);
      double c2 = 1 - Math.pow(b2, step);
      for (int i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= lr * ((m[i] / c1) / (Math.sqrt(v[i] / c2) + eps) + wd * p[i]);
      }
      double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-14;
      double[] gotP = BACKEND.toDoubles(param);
      double[] gotM = BACKEND.toDoubles(first);
      double[] gotV = BACKEND.toDoubles(second);
      for (int i = 0; i < n; i++) {
        assertThat(gotM[i]).isCloseTo(m[i], within(tol * 4));
        assertThat(gotV[i]).isCloseTo(v[i], within(tol * 4));
        assertThat(gotP[i]).as("param %d at step %d", i, step).isCloseTo(p[i], within(tol * 4));
      }
    }
    assertThat(BACKEND.liveArrays()).isEqualTo(liveBefore + 3);
    param.close();
    first.close();
    second.close();
  }

  @Test
  void rejectsMismatchedOperandsAndStepZero() {
    FusedKernel.AdamUpdate adam = BACKEND.fused(FusedKernel.AdamUpdate.class).orElseThrow();
    try (MemoryScope scope = BACKEND.openScope()) {
      NdArray a = BACKEND.full(Shape.of(3), DType.FLOAT32, 1);
      NdArray b = BACKEND.full(Shape.of(4), DType.FLOAT32, 1);
      NdArray d = BACKEND.full(Shape.of(3), DType.FLOAT64, 1);
      assertThatIllegalArgumentException().isThrownBy(() -> adam.adamUpdate(a, b, a, a, 1, 0.9, 0.99, 1e-8, 0, 1))
          .withMessageContainingAll("[3]", "[4]");
      assertThatIllegalArgumentException().isThrownBy(() -> adam.adamUpdate(a, a, d, a, 1, 0.9, 0.99, 1e-8, 0, 1))
          .withMessageContainingAll("FLOAT32", "FLOAT64");
      assertThatIllegalArgumentException().isThrownBy(() -> adam.adamUpdate(a, a, a, a, 1, 0.9, 0.99, 1e-8, 0, 0))
          .withMessageContaining("step");
    }
  }
}
