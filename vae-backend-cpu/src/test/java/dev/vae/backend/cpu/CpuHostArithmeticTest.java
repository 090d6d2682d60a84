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
 * float32 arithmetic that this backend runs on the host in chunks of whole rows, checked element by
 * element against Java's float operators on arrays many chunks long: two full operands, a bias
 * row or a per-row column on either side, a full operand with a leading 1 in its shape, and a
 * scalar on either side.
 */
class CpuHostArithmeticTest {
  private static final CpuBackend BACKEND = new CpuBackend();
  private static final int ROWS = 301;
  private static final int COLUMNS = 97;

  @ParameterizedTest
  @EnumSource(value = Op.class, names = {"ADD", "SUB", "MUL", "DIV"})
  void fullOperandsRepeatedRowsAndColumnsGiveJavasFloatResults(Op op) {
    Random random = new Random(op.ordinal());
    float[] full = values(random, ROWS * COLUMNS);
    float[] other = values(random, ROWS * COLUMNS);
    float[] row = values(random, COLUMNS);
    float[] column = values(random, ROWS);
    try (MemoryScope scope = BACKEND.openScope()) {
      NdArray a = BACKEND.fromHost(full, Shape.of(ROWS, COLUMNS));
      NdArray b = BACKEND.fromHost(other, Shape.of(1, ROWS, COLUMNS));
      NdArray bias = BACKEND.fromHost(row, Shape.of(COLUMNS));
      NdArray biasRow = BACKEND.fromHost(row, Shape.of(1, COLUMNS));
      NdArray perRow = BACKEND.fromHost(column, Shape.of(ROWS, 1));

      check(op, "a, b", BACKEND.toFloats(BACKEND.binary(op, a, b)), i -> full[i], i -> other[i]);
      check(op, "a, bias", BACKEND.toFloats(BACKEND.binary(op, a, bias)), i -> full[i], i -> row[i % COLUMNS]);
      check(op, "a, column", BACKEND.toFloats(BACKEND.binary(op, a, perRow)), i -> full[i], i -> column[i / COLUMNS]);
      check(op, "column, a", BACKEND.toFloats(BACKEND.binary(op, perRow, a)), i -> column[i / COLUMNS], i -> full[i]);
      check(op, "row, a", BACKEND.toFloats(BACKEND.binary(op, biasRow, a)), i -> row[i % COLUMNS], i -> full[i]);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Op.class, names = {"ADD", "SUB", "MUL", "DIV", "MAX", "MIN"})
  void aScalarOnEitherSideGivesJavasFloatResults(Op op) {
    Random random = new Random(op.ordinal());
    float[] x = values(random, ROWS * COLUMNS);
    x[7] = Float.NaN;
    x[8] = -0f;
    x[9] = 0f;
    float s = 0.75f;
    try (MemoryScope scope = BACKEND.openScope()) {
      NdArray a = BACKEND.fromHost(x, Shape.of(ROWS, COLUMNS));
      for (boolean scalarFirst : new boolean[] {false, true}) {
        float[] got = BACKEND.toFloats(BACKEND.binaryScalar(op, a, s, scalarFirst));
        if (scalarFirst) {
          check(op, "s, x", got, i -> s, i -> x[i]);
        } else {
          check(op, "x, s", got, i -> x[i], i -> s);
        }
      }
    }
  }

  /** Uniform values with some zeros, so that DIV meets 0/0 and x/0. */
  private static float[] values(Random random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextInt(50) == 0 ? 0f : (float) (random.nextGaussian() * 3);
    }
    return out;
  }

  /** The operand element that result element {@code i} reads. */
  @FunctionalInterface
  private interface Element {
    float at(int i);
  }

  private static void check(Op op, String operands, float[] got, Element left, Element right) {
    for (int i = 0; i < got.length; i++) {
      float expected = apply(op, left.at(i), right.at(i));
      if (Float.compare(got[i], expected) != 0) {
        assertThat(got[i]).as("%s(%s) at %d", op, operands, i).isEqualTo(expected);
      }
    }
  }

  private static float apply(Op op, float a, float b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
      case MAX -> Math.max(a, b);
      case MIN -> Math.min(a, b);
      default -> throw new IllegalArgumentException(op.toString());
    };
  }
}
