package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Unary, binary, scalar, compare and select ops against plain-Java float64 arithmetic. */
class CpuElementwiseTest {
  private static final CpuBackend BACKEND = new CpuBackend();
  private static final double[] SPECIALS = {0.0, -0.0, 1, -1, 0.5, -0.5, 2, 1e-30, -1e-30, 1e-8, -3e-6,
      100, -100, 1e30, -1e30, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

  private MemoryScope scope;

  @BeforeEach
  void open() {
    scope = BACKEND.openScope();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  private static Stream<Arguments> unaryOps() {
    return Arrays.stream(Op.values()).filter(op -> op.kind() == Op.Kind.UNARY)
        .flatMap(op -> Stream.of(Arguments.of(op, DType.FLOAT32), Arguments.of(op, DType.FLOAT64)));
  }

  @ParameterizedTest
  @MethodSource("unaryOps")
  void unaryOpsMatchFloat64Math(Op op, DType dtype) {
    Random random = new Random(op.ordinal());
    List<Double> inputs = new ArrayList<>();
    for (double s : SPECIALS) {
      inputs.add(s);
    }
    for (int i = 0; i < 400; i++) {
      double magnitude = Math.pow(10, -9 + 11 * random.nextDouble());
      inputs.add(random.nextBoolean() ? magnitude : -magnitude);
      inputs.add(-8 + 16 * random.nextDouble());
    }
    double[] x = inputs.stream().mapToDouble(v -> HostReference.round(v, dtype)).toArray();
    NdArray in = BACKEND.fromHost(x, Shape.of(x.length), dtype);
    double[] got = BACKEND.toDoubles(BACKEND.unary(op, in));
    // Relative accuracy everywhere; ND4J flushes float32 results below the smallest normal to zero.
    double rtol = dtype == DType.FLOAT32 ? 6e-7 : 2e-15;
    double atol = dtype == DType.FLOAT32 ? Float.MIN_NORMAL : 0;
    if (op == Op.LGAMMA || op == Op.DIGAMMA || op == Op.TRIGAMMA) {
      atol = 1e-14;
    }
    for (int i = 0; i < x.length; i++) {
      double want = HostReference.round(HostReference.unary(op, x[i]), dtype);
      assertThat(HostReference.close(got[i], want, rtol, atol))
          .as("%s %s(%s): got %s, want %s", dtype, op, x[i], got[i], want).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void signPropagatesNaN(DType dtype) {
    NdArray x = BACKEND.fromHost(new double[] {Double.NaN, -2, 0, 3}, Shape.of(4), dtype);
    assertThat(BACKEND.toDoubles(BACKEND.unary(Op.SIGN, x))).containsExactly(Double.NaN, -1, 0, 1);
  }

  @Test
  void log1pAndExpm1KeepRelativeAccuracyForTinyArguments() {
    NdArray x = BACKEND.fromHost(new double[] {1e-12, -1e-12, 1e-40}, Shape.of(3), DType.FLOAT64);
    assertThat(BACKEND.toDoubles(BACKEND.unary(Op.LOG1P, x)))
        .containsExactly(Math.log1p(1e-12), Math.log1p(-1e-12), 1e-40);
    assertThat(BACKEND.toDoubles(BACKEND.unary(Op.EXPM1, x)))
        .containsExactly(Math.expm1(1e-12), Math.expm1(-1e-12), 1e-40);
  }

  /** Shape pairs covering equal shapes, the fast broadcast paths and general numpy broadcasting. */
  private static Stream<Arguments> shapePairs() {
    int[][][] pairs = {
        {{3, 4}, {3, 4}}, {{5, 7}, {7}}, {{7}, {5, 7}}, {{5, 7}, {1, 7}}, {{5, 7}, {5, 1}}, {{1, 7}, {5, 7}},
        {{3, 1}, {1, 4}}, {{4}, {3, 1}}, {{2, 3, 4}, {3, 1}}, {{3, 1}, {2, 3, 4}}, {{2, 1, 4}, {3, 1}},
        {{2, 3, 4}, {}}, {{}, {2, 3, 4}}, {{}, {}}, {{2, 3}, {1}}, {{1}, {2, 3}}, {{1, 1}, {4}},
        {{2, 1, 3, 1}, {1, 4, 1, 5}}, {{0, 3}, {3}}, {{3}, {0, 3}}, {{2, 0}, {1}}, {{1}, {1}}, {{6}, {6}},
        {{}, {1}}, {{1}, {}}, {{1, 1}, {}}, {{1, 1, 1}, {1, 1}}, {{4, 1}, {1, 1, 1}},
    };
    List<Arguments> args = new ArrayList<>();
    for (int[][] p : pairs) {
      args.add(Arguments.of(Shape.of(p[0]), Shape.of(p[1])));
    }
    return args.stream();
  }

  @ParameterizedTest
  @MethodSource("shapePairs")
  void binaryAndCompareOpsBroadcastLikeNumpy(Shape sa, Shape sb) {
    Random random = new Random(sa.hashCode() * 31 + sb.hashCode());
    for (DType dtype : DType.values()) {
      double[] a = values(random, sa.sizeAsInt(), dtype);
      double[] b = values(random, sb.sizeAsInt(), dtype);
      NdArray x = BACKEND.fromHost(a, sa, dtype);
      NdArray y = BACKEND.fromHost(b, sb, dtype);
      Shape out = Shape.broadcast(sa, sb);
      int[] ia = HostReference.broadcastIndices(sa, out);
      int[] ib = HostReference.broadcastIndices(sb, out);
      for (Op op : Op.values()) {
        if (op.kind() != Op.Kind.BINARY && op.kind() != Op.Kind.COMPARE) {
          continue;
        }
        NdArray result = BACKEND.binary(op, x, y);
        assertThat(result.shape()).isEqualTo(out);
        assertThat(result.dtype()).isEqualTo(dtype);
        double[] got = BACKEND.toDoubles(result);
        for (int i = 0; i < got.length; i++) {
          double want = HostReference.round(HostReference.binary(op, a[ia[i]], b[ib[i]]), dtype);
          assertThat(HostReference.close(got[i], want, dtype == DType.FLOAT32 ? 2e-7 : 1e-15, 0))
              .as("%s %s %s %s at %s: %s op %s got %s want %s", dtype, op, sa, sb, i, a[ia[i]], b[ib[i]], got[i], want)
              .isTrue();
        }
      }
    }
  }

  /** Values with repeats (so comparisons see equal pairs), zeros, negatives and an occasional NaN. */
  private static double[] values(Random random, int n, DType dtype) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      int pick = random.nextInt(10);
      out[i] = switch (pick) {
        case 0 -> Double.NaN;
        case 1 -> 0.0;
        case 2, 3 -> random.nextInt(3) - 1;
        default -> HostReference.round(0.1 + 3 * random.nextDouble(), dtype) * (random.nextBoolean() ? 1 : -1);
      };
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void maxAndMinPropagateNaNFromEitherSide(DType dtype) {
    NdArray a = BACKEND.fromHost(new double[] {Double.NaN, 1, Double.NaN, 2}, Shape.of(4), dtype);
    NdArray b = BACKEND.fromHost(new double[] {0, Double.NaN, Double.NaN, 3}, Shape.of(4), dtype);
    NdArray column = BACKEND.fromHost(new double[] {Double.NaN, 5}, Shape.of(2, 1), dtype);
    for (Op op : List.of(Op.MAX, Op.MIN)) {
      double last = op == Op.MAX ? 3 : 2;
      assertThat(BACKEND.toDoubles(BACKEND.binary(op, a, b))).containsExactly(Double.NaN, Double.NaN, Double.NaN, last);
      assertThat(BACKEND.toDoubles(BACKEND.binary(op, b, a))).containsExactly(Double.NaN, Double.NaN, Double.NaN, last);
      // Neither operand has the result's shape [2, 4].
      double[] both = BACKEND.toDoubles(BACKEND.binary(op, column, a));
      assertThat(Arrays.copyOfRange(both, 0, 4)).containsOnly(Double.NaN);
      assertThat(both[4]).isNaN();
      assertThat(both[5]).isEqualTo(op == Op.MAX ? 5 : 1);
      assertThat(BACKEND.toDoubles(BACKEND.binaryScalar(op, a, 1.5, false)))
          .containsExactly(Double.NaN, op == Op.MAX ? 1.5 : 1, Double.NaN, op == Op.MAX ? 2 : 1.5);
      assertThat(BACKEND.toDoubles(BACKEND.binaryScalar(op, a, 0, true)))
          .containsExactly(Double.NaN, op == Op.MAX ? 1 : 0, Double.NaN, op == Op.MAX ? 2 : 0);
      assertThat(BACKEND.toDoubles(BACKEND.binaryScalar(op, b, Double.NaN, false))).containsOnly(Double.NaN);
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void powFollowsC99(DType dtype) {
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    double[] base = {1, nan, -1, -1, -8, 0, -0.0, -2, 2, inf, 0.5, 4};
    double[] exponent = {nan, 0, inf, -inf, 1.0 / 3, -1, -1, 3, -inf, -1, inf, 0.5};
    NdArray x = BACKEND.fromHost(base, Shape.of(base.length), dtype);
    NdArray y = BACKEND.fromHost(exponent, Shape.of(exponent.length), dtype);
    double[] got = BACKEND.toDoubles(BACKEND.binary(Op.POW, x, y));
    for (int i = 0; i < base.length; i++) {
      double want = HostReference.round(HostReference.binary(Op.POW,
          HostReference.round(base[i], dtype), HostReference.round(exponent[i], dtype)), dtype);
      assertThat(HostReference.close(got[i], want, 1e-6, 0)).as("pow(%s, %s) = %s, want %s", base[i], exponent[i],
          got[i], want).isTrue();
    }
  }

  private static Stream<Arguments> scalarCases() {
    List<Arguments> args = new ArrayList<>();
    for (Op op : Op.values()) {
      if (op.kind() == Op.Kind.BINARY || op.kind() == Op.Kind.COMPARE) {
        for (DType dtype : DType.values()) {
          args.add(Arguments.of(op, dtype));
        }
      }
    }
    return args.stream();
  }

  @ParameterizedTest
  @MethodSource("scalarCases")
  void binaryScalarEqualsBinaryWithAFullArray(Op op, DType dtype) {
    Random random = new Random(op.ordinal() + 100L * dtype.ordinal());
    Shape shape = Shape.of(3, 5);
    double[] a = values(random, 15, dtype);
    NdArray x = BACKEND.fromHost(a, shape, dtype);
    for (double s : new double[] {0, 1, -1, 0.1, 2.5, -3, Double.NaN, Double.POSITIVE_INFINITY}) {
      for (boolean scalarFirst : new boolean[] {false, true}) {
        double rounded = HostReference.round(s, dtype);
        double[] got = BACKEND.toDoubles(BACKEND.binaryScalar(op, x, s, scalarFirst));
        for (int i = 0; i < got.length; i++) {
          double want = HostReference.round(scalarFirst
              ? HostReference.binary(op, rounded, a[i]) : HostReference.binary(op, a[i], rounded), dtype);
          assertThat(HostReference.close(got[i], want, dtype == DType.FLOAT32 ? 2e-7 : 1e-15, 0))
              .as("%s %s scalar %s first=%s x=%s: got %s want %s", dtype, op, s, scalarFirst, a[i], got[i], want)
              .isTrue();
        }
      }
    }
  }

  @Test
  void whereBroadcastsAllThreeAndTreatsNaNAsTrue() {
    NdArray condition = BACKEND.fromHost(new double[] {1, 0, Double.NaN}, Shape.of(3, 1), DType.FLOAT64);
    NdArray a = BACKEND.fromHost(new double[] {10, 20}, Shape.of(2), DType.FLOAT64);
    NdArray b = BACKEND.full(Shape.scalar(), DType.FLOAT64, -1);
    NdArray result = BACKEND.where(condition, a, b);
    assertThat(result.shape()).isEqualTo(Shape.of(3, 2));
    assertThat(BACKEND.toDoubles(result)).containsExactly(10, 20, -1, -1, 10, 20);
    NdArray same = BACKEND.where(BACKEND.fromHost(new float[] {0, 2}, Shape.of(2)),
        BACKEND.fromHost(new float[] {1, 2}, Shape.of(2)), BACKEND.fromHost(new float[] {3, 4}, Shape.of(2)));
    assertThat(BACKEND.toFloats(same)).containsExactly(3, 2);
    NdArray one = BACKEND.full(Shape.of(1, 1), DType.FLOAT64, 0);
    NdArray widened = BACKEND.where(one, BACKEND.fromHost(new double[] {1, 2, 3, 4}, Shape.of(4), DType.FLOAT64), b);
    assertThat(widened.shape()).isEqualTo(Shape.of(1, 4));
    assertThat(BACKEND.toDoubles(widened)).containsExactly(-1, -1, -1, -1);
    NdArray scalars = BACKEND.where(BACKEND.full(Shape.scalar(), DType.FLOAT64, 1), BACKEND.full(Shape.scalar(), DType.FLOAT64, 5), b);
    assertThat(scalars.shape()).isEqualTo(Shape.scalar());
    assertThat(BACKEND.toDoubles(scalars)).containsExactly(5);
    assertThat(BACKEND.where(BACKEND.full(Shape.of(0, 2), DType.FLOAT64, 1), a, b).shape()).isEqualTo(Shape.of(0, 2));
  }

  @Test
  void mixedDtypesAndBadShapesAreRejectedWithBothNamed() {
    NdArray f = BACKEND.full(Shape.of(2, 3), DType.FLOAT32, 1);
    NdArray d = BACKEND.full(Shape.of(2, 3), DType.FLOAT64, 1);
    NdArray other = BACKEND.full(Shape.of(4), DType.FLOAT32, 1);
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.binary(Op.ADD, f, d))
        .withMessageContainingAll("FLOAT32", "FLOAT64");
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.binary(Op.MUL, f, other))
        .withMessageContainingAll("[2, 3]", "[4]");
    assertThatIllegalArgumentException().isThrownBy(() -> BACKEND.unary(Op.ADD, f));
  }
}
