package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Comparisons of a float32 array with a scalar, which this backend computes on the host in
 * several chunks, against Java's own comparison operators: every element of an array several
 * chunks long, drawn from random values, the scalar and its neighbours, zeros, subnormals, the
 * largest floats, infinities and NaN.
 */
class CpuScalarComparisonTest {
  private static final CpuBackend BACKEND = new CpuBackend();

  @ParameterizedTest
  @EnumSource(value = Op.class, names = {"EQ", "NE", "LT", "LE", "GT", "GE"})
  void everyElementOfALongArrayComparesAsJavaDoes(Op op) {
    Random random = new Random(op.ordinal());
    for (float s : new float[] {0f, -0f, 0.5f, -3f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE}) {
      float[] special = {s, Math.nextUp(s), Math.nextDown(s), 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
          Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
      float[] x = new float[3 * HostKernels.PARALLEL_GRAIN + 17];
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextBoolean() ? special[random.nextInt(special.length)] : (float) random.nextGaussian() * 4;
      }
      float[] got;
      try (MemoryScope scope = BACKEND.openScope()) {
        NdArray a = BACKEND.fromHost(x, Shape.of(x.length));
        got = BACKEND.toFloats(BACKEND.binaryScalar(op, a, s, false));
      }
      for (int i = 0; i < x.length; i++) {
        float expected = compare(op, x[i], s) ? 1f : 0f;
        if (got[i] != expected) {
          assertThat(got[i]).as("%s(%s, %s) at %d", op, x[i], s, i).isEqualTo(expected);
        }
      }
    }
  }

  private static boolean compare(Op op, float a, float b) {
    return switch (op) {
      case EQ -> a == b;
      case NE -> a != b;
      case LT -> a < b;
      case LE -> a <= b;
      case GT -> a > b;
      case GE -> a >= b;
      default -> throw new IllegalArgumentException(op.toString());
    };
  }
}
