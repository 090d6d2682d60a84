package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Philox;
import org.junit.jupiter.api.Test;

/** The random streams are bit-identical to {@link Philox}'s definition at any offset and size. */
class CpuRandomTest {
  private static final CpuBackend BACKEND = new CpuBackend();
  private static final long[] SEEDS = {0, 1, -1, 0x123456789ABCDEFL, Long.MIN_VALUE};
  private static final long[] OFFSETS = {0, 1, 2, 3, 5, 1L << 33, (1L << 40) + 7};
  private static final int[] SIZES = {0, 1, 2, 3, 4, 7, 33};

  @Test
  void uniformFloatsAreExactlyPhiloxs() {
    for (long seed : SEEDS) {
      for (long offset : OFFSETS) {
        for (int n : SIZES) {
          float[] want = new float[n];
          Philox.uniformFloats(seed, offset, want);
          try (MemoryScope scope = BACKEND.openScope()) {
            NdArray x = BACKEND.randomUniform(seed, offset, Shape.of(n), DType.FLOAT32);
            assertThat(BACKEND.toFloats(x)).as("seed %d offset %d n %d", seed, offset, n).containsExactly(want);
          }
        }
      }
    }
  }

  @Test
  void uniformDoublesAreExactlyPhiloxs() {
    for (long seed : SEEDS) {
      for (long offset : OFFSETS) {
        for (int n : SIZES) {
          double[] want = new double[n];
          Philox.uniformDoubles(seed, offset, want);
          try (MemoryScope scope = BACKEND.openScope()) {
            NdArray x = BACKEND.randomUniform(seed, offset, Shape.of(n), DType.FLOAT64);
            assertThat(BACKEND.toDoubles(x)).as("seed %d offset %d n %d", seed, offset, n).containsExactly(want);
          }
        }
      }
    }
  }

  @Test
  void normalsAreExactlyPhiloxsInFloat64AndRoundedInFloat32() {
    for (long seed : SEEDS) {
      for (long offset : OFFSETS) {
        for (int n : SIZES) {
          double[] want = new double[n];
          Philox.normals(seed, offset, want);
          float[] rounded = new float[n];
          for (int i = 0; i < n; i++) {
            rounded[i] = (float) want[i];
          }
          try (MemoryScope scope = BACKEND.openScope()) {
            Shape shape = n % 2 == 0 && n > 0 ? Shape.of(2, n / 2) : Shape.of(n);
            assertThat(BACKEND.toDoubles(BACKEND.randomNormal(seed, offset, shape, DType.FLOAT64)))
                .as("seed %d offset %d n %d", seed, offset, n).containsExactly(want);
            assertThat(BACKEND.toFloats(BACKEND.randomNormal(seed, offset, shape, DType.FLOAT32)))
                .as("seed %d offset %d n %d", seed, offset, n).containsExactly(rounded);
          }
        }
      }
    }
  }

  @Test
  void largeFillsSplitAcrossThreadsGiveTheSameNumbers() {
    int n = 2 * HostKernels.PARALLEL_GRAIN + 5;
    for (long offset : new long[] {0, 3}) {
      float[] floats = new float[n];
      Philox.uniformFloats(42, offset, floats);
      double[] doubles = new double[n];
      Philox.uniformDoubles(42, offset, doubles);
      double[] normals = new double[n];
      Philox.normals(42, offset, normals);
      try (MemoryScope scope = BACKEND.openScope()) {
        assertThat(BACKEND.toFloats(BACKEND.randomUniform(42, offset, Shape.of(n), DType.FLOAT32))).containsExactly(floats);
        assertThat(BACKEND.toDoubles(BACKEND.randomUniform(42, offset, Shape.of(n), DType.FLOAT64))).containsExactly(doubles);
        assertThat(BACKEND.toDoubles(BACKEND.randomNormal(42, offset, Shape.of(n), DType.FLOAT64))).containsExactly(normals);
      }
    }
  }

  @Test
  void negativeOffsetsAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BACKEND.randomUniform(1, -1, Shape.of(2), DType.FLOAT32))
        .withMessageContaining("-1");
  }
}
