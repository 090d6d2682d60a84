package dev.vae.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.api.backend.Philox;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds the reference backend to values known independently of it: closed forms of the special
 * functions, hand-computed matrix products and factorizations, and the Random123 known-answer
 * vectors of Philox4x32-10.
 */
class ReferenceBackendTest {
  private static final double PI = Math.PI;
  private static final double EULER = 0.5772156649015329;
  private static final double LN2 = Math.log(2);
  private static final double CATALAN = 0.915965594177219015;
  private static final double INF = Double.POSITIVE_INFINITY;

  private final ReferenceBackend backend = new ReferenceBackend();
  private MemoryScope scope;

  @BeforeEach
  void openScope() {
    scope = backend.openScope();
  }

  @AfterEach
  void closeScope() {
    scope.close();
    assertThat(backend.liveArrays()).isZero();
  }

  private double unary(Op op, double x) {
    return backend.toDoubles(backend.unary(op, backend.fromHost(new double[] {x}, Shape.scalar(), DType.FLOAT64)))[0];
  }

  private NdArray matrix(int rows, int cols, double... values) {
    return backend.fromHost(values, Shape.of(rows, cols), DType.FLOAT64);
  }

  // ---- special functions

  static Stream<Arguments> closedForms() {
    return Stream.of(
        Arguments.of(Op.LGAMMA, 0.5, Math.log(Math.sqrt(PI))),
        Arguments.of(Op.LGAMMA, 1.5, Math.log(Math.sqrt(PI) / 2)),
        Arguments.of(Op.LGAMMA, 2.5, Math.log(3 * Math.sqrt(PI) / 4)),
        Arguments.of(Op.LGAMMA, 3.0, LN2),
        Arguments.of(Op.LGAMMA, 0.25, Math.log(3.6256099082219083119)),
        Arguments.of(Op.LGAMMA, -0.5, Math.log(2 * Math.sqrt(PI))),
        Arguments.of(Op.LGAMMA, -1.5, Math.log(4 * Math.sqrt(PI) / 3)),
        Arguments.of(Op.LGAMMA, -2.5, Math.log(8 * Math.sqrt(PI) / 15)),
        // lgamma(1 + z) = -γz + ζ(2) z²/2 - ζ(3) z³/3 + ...; the z³ term is below 1e-18 here.
        Arguments.of(Op.LGAMMA, 1 + 0x1p-20, -EULER * 0x1p-20 + PI * PI / 12 * 0x1p-40),
        Arguments.of(Op.LGAMMA, 1e-8, -Math.log(1e-8) - EULER * 1e-8),
        Arguments.of(Op.DIGAMMA, 1.0, -EULER),
        Arguments.of(Op.DIGAMMA, 2.0, 1 - EULER),
        Arguments.of(Op.DIGAMMA, 0.5, -EULER - 2 * LN2),
        Arguments.of(Op.DIGAMMA, 0.25, -EULER - PI / 2 - 3 * LN2),
        Arguments.of(Op.DIGAMMA, 10.0,
            1 + 1.0 / 2 + 1.0 / 3 + 1.0 / 4 + 1.0 / 5 + 1.0 / 6 + 1.0 / 7 + 1.0 / 8 + 1.0 / 9 - EULER),
        Arguments.of(Op.DIGAMMA, -2.5, -EULER - 2 * LN2 + 2 + 2.0 / 3 + 0.4),
        Arguments.of(Op.TRIGAMMA, 1.0, PI * PI / 6),
        Arguments.of(Op.TRIGAMMA, 2.0, PI * PI / 6 - 1),
        Arguments.of(Op.TRIGAMMA, 0.5, PI * PI / 2),
        Arguments.of(Op.TRIGAMMA, 0.25, PI * PI + 8 * CATALAN),
        Arguments.of(Op.TRIGAMMA, -0.5, PI * PI / 2 + 4),
        Arguments.of(Op.TRIGAMMA, 1e-8, 1e16 + PI * PI / 6));
  }

  @ParameterizedTest(name = "{0}({1}) = {2}")
  @MethodSource("closedForms")
  void specialFunctionsMatchClosedForms(Op op, double x, double expected) {
    assertThat(unary(op, x)).as("%s(%s)", op, x).isCloseTo(expected, within(2e-15 * Math.max(1, Math.abs(expected))));
  }

  @Test
  void digammaNearItsPositiveZeroIsAccurateInAbsoluteTerms() {
    // ψ(1.5) = 2 - γ - 2 ln 2 = 0.0364899739785765..., where the recurrence cancels most digits.
    assertThat(unary(Op.DIGAMMA, 1.5)).isCloseTo(2 - EULER - 2 * LN2, within(1e-15));
    assertThat(unary(Op.DIGAMMA, -0.5)).isCloseTo(2 - EULER - 2 * LN2, within(1e-15));
  }

  @Test
  void lgammaOfIntegersIsTheLogOfTheFactorial() {
    double logFactorial = 0;
    for (int n = 1; n <= 171; n++) {
      assertThat(unary(Op.LGAMMA, n)).as("lgamma(%d)", n)
          .isCloseTo(logFactorial, within(1e-14 * Math.max(1, logFactorial)));
      logFactorial += Math.log(n);
    }
    assertThat(unary(Op.LGAMMA, 1)).isEqualTo(0.0);
    assertThat(unary(Op.LGAMMA, 2)).isEqualTo(0.0);
  }

  @Test
  void recurrencesHoldAcrossEveryBranch() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      double x = i < 1000 ? 0.01 + 40 * random.nextDouble() : -(0.01 + 10 * random.nextDouble());
      if (x == Math.rint(x)) {
        continue;
      }
      double lgamma = unary(Op.LGAMMA, x);
      double lgammaNext = unary(Op.LGAMMA, x + 1);
      assertThat(lgammaNext - lgamma).as("lgamma(%s + 1) - lgamma(%s)", x, x)
          .isCloseTo(Math.log(Math.abs(x)), within(1e-13 * Math.max(1, Math.abs(lgamma) + Math.abs(lgammaNext))));
      double digamma = unary(Op.DIGAMMA, x);
      double digammaNext = unary(Op.DIGAMMA, x + 1);
      assertThat(digammaNext - digamma).as("digamma(%s + 1) - digamma(%s)", x, x)
          .isCloseTo(1 / x, within(1e-13 * (Math.abs(digamma) + Math.abs(digammaNext) + 1)));
      double trigamma = unary(Op.TRIGAMMA, x);
      double trigammaNext = unary(Op.TRIGAMMA, x + 1);
      assertThat(trigamma - trigammaNext).as("trigamma(%s) - trigamma(%s + 1)", x, x)
          .isCloseTo(1 / (x * x), within(1e-13 * (trigamma + trigammaNext)));
    }
  }

  @Test
  void digammaAndTrigammaAreTheDerivativesOfTheirPredecessors() {
    for (double x : new double[] {0.3, 0.9, 1.2, 1.9, 2.6, 4, 11.5, 12.5, 30, -0.7, -3.3}) {
      double h = 1e-5 * Math.max(1, Math.abs(x));
      double dLgamma = (unary(Op.LGAMMA, x + h) - unary(Op.LGAMMA, x - h)) / (2 * h);
      double dDigamma = (unary(Op.DIGAMMA, x + h) - unary(Op.DIGAMMA, x - h)) / (2 * h);
      assertThat(unary(Op.DIGAMMA, x)).as("digamma(%s) vs lgamma'", x)
          .isCloseTo(dLgamma, within(1e-7 * Math.max(1, Math.abs(dLgamma))));
      assertThat(unary(Op.TRIGAMMA, x)).as("trigamma(%s) vs digamma'", x)
          .isCloseTo(dDigamma, within(1e-6 * Math.max(1, Math.abs(dDigamma))));
    }
  }

  @Test
  void polesAndInfinitiesFollowTheDocumentedConventions() {
    double nan = Double.NaN;
    assertThat(unary(Op.LGAMMA, 0)).isEqualTo(INF);
    assertThat(unary(Op.LGAMMA, -0.0)).isEqualTo(INF);
    assertThat(unary(Op.LGAMMA, -3)).isEqualTo(INF);
    assertThat(unary(Op.LGAMMA, -1e300)).isEqualTo(INF);
    assertThat(unary(Op.LGAMMA, INF)).isEqualTo(INF);
    assertThat(unary(Op.LGAMMA, -INF)).isEqualTo(INF);
    assertThat(unary(Op.LGAMMA, nan)).isNaN();
    assertThat(unary(Op.DIGAMMA, 0)).isEqualTo(-INF);
    assertThat(unary(Op.DIGAMMA, -0.0)).isEqualTo(INF);
    assertThat(unary(Op.DIGAMMA, -2)).isNaN();
    assertThat(unary(Op.DIGAMMA, INF)).isEqualTo(INF);
    assertThat(unary(Op.DIGAMMA, -INF)).isNaN();
    assertThat(unary(Op.DIGAMMA, nan)).isNaN();
    assertThat(unary(Op.TRIGAMMA, 0)).isEqualTo(INF);
    assertThat(unary(Op.TRIGAMMA, -3)).isEqualTo(INF);
    assertThat(unary(Op.TRIGAMMA, INF)).isEqualTo(0.0);
    assertThat(unary(Op.TRIGAMMA, -INF)).isEqualTo(INF);
    assertThat(unary(Op.TRIGAMMA, nan)).isNaN();
  }

  // ---- elementwise conventions

  @Test
  void elementwiseConventionsFollowIeeeAndC99() {
    assertThat(unary(Op.LOG, 0)).isEqualTo(-INF);
    assertThat(unary(Op.LOG, -1)).isNaN();
    assertThat(unary(Op.SIGMOID, -1000)).isEqualTo(0.0);
    assertThat(unary(Op.SIGMOID, 1000)).isEqualTo(1.0);
    assertThat(unary(Op.SIGMOID, -INF)).isEqualTo(0.0);
    assertThat(unary(Op.SIGN, Double.NaN)).isNaN();
    NdArray bases = backend.fromHost(new double[] {1, -1, -1, -2, 0, Double.NaN}, Shape.of(6), DType.FLOAT64);
    NdArray exponents = backend.fromHost(new double[] {Double.NaN, INF, -INF, 3, -1, 0}, Shape.of(6), DType.FLOAT64);
    assertThat(backend.toDoubles(backend.binary(Op.POW, bases, exponents))).containsExactly(1, 1, 1, -8, INF, 1);
    NdArray withNaN = backend.fromHost(new double[] {Double.NaN, 1}, Shape.of(2), DType.FLOAT64);
    NdArray ones = backend.full(Shape.of(2), DType.FLOAT64, 1);
    assertThat(backend.toDoubles(backend.binary(Op.MAX, withNaN, ones))).containsExactly(Double.NaN, 1);
    assertThat(backend.toDoubles(backend.binary(Op.MIN, ones, withNaN))).containsExactly(Double.NaN, 1);
    assertThat(backend.toDoubles(backend.binary(Op.EQ, withNaN, withNaN))).containsExactly(0, 1);
    assertThat(backend.toDoubles(backend.reduce(Op.REDUCE_MAX, withNaN, new int[0], false)))
        .containsExactly(Double.NaN);
    assertThat(backend.toDoubles(backend.where(withNaN, ones, backend.full(Shape.of(2), DType.FLOAT64, 0))))
        .as("a NaN condition counts as non-zero").containsExactly(1, 1);
  }

  @Test
  void float32ArraysRoundEveryResultToFloat() {
    NdArray tenth = backend.fromHost(new double[] {0.1}, Shape.of(1), DType.FLOAT32);
    assertThat(backend.toDoubles(tenth)).containsExactly((double) 0.1f);
    NdArray one = backend.full(Shape.of(1), DType.FLOAT32, 1);
    NdArray tiny = backend.full(Shape.scalar(), DType.FLOAT32, 0x1p-30);
    assertThat(backend.toDoubles(backend.binary(Op.ADD, one, tiny))).containsExactly(1.0);
    NdArray three = backend.full(Shape.scalar(), DType.FLOAT32, 3);
    assertThat(backend.toDoubles(backend.binary(Op.DIV, one, three))).containsExactly((double) (1f / 3f));
    // A full array rounds its value to the dtype: 0.1f <= 0.1 in float32, but not in float64.
    NdArray tenth32 = backend.full(Shape.scalar(), DType.FLOAT32, 0.1);
    assertThat(backend.toDoubles(backend.binary(Op.LE, tenth, tenth32))).containsExactly(1.0);
    NdArray tenth64 = backend.cast(tenth, DType.FLOAT64);
    NdArray exactTenth = backend.full(Shape.scalar(), DType.FLOAT64, 0.1);
    assertThat(backend.toDoubles(backend.binary(Op.LE, tenth64, exactTenth))).containsExactly(0.0);
    assertThat(backend.toDoubles(backend.cast(backend.full(Shape.scalar(), DType.FLOAT64, 1e39), DType.FLOAT32)))
        .containsExactly(INF);
  }

  // ---- reductions, movement and linear algebra by hand

  @Test
  void reductionsByHand() {
    NdArray x = matrix(2, 3, 1, 2, 3, 4, 5, 6);
    assertThat(backend.toDoubles(backend.reduce(Op.SUM, x, new int[] {0}, false))).containsExactly(5, 7, 9);
    assertThat(backend.toDoubles(backend.reduce(Op.SUM, x, new int[] {-1}, true))).containsExactly(6, 15);
    assertThat(backend.reduce(Op.SUM, x, new int[] {-1}, true).shape()).isEqualTo(Shape.of(2, 1));
    assertThat(backend.toDoubles(backend.reduce(Op.SUM, x, new int[0], false))).containsExactly(21);
    assertThat(backend.toDoubles(backend.reduce(Op.REDUCE_MAX, x, new int[] {1}, false))).containsExactly(3, 6);
  }

  @Test
  void movementByHand() {
    NdArray x = matrix(2, 3, 1, 2, 3, 4, 5, 6);
    assertThat(backend.toDoubles(backend.permute(x, new int[] {1, 0}))).containsExactly(1, 4, 2, 5, 3, 6);
    assertThat(backend.toDoubles(backend.slice(x, new int[] {0, 1}, new int[] {2, 3}))).containsExactly(2, 3, 5, 6);
    assertThat(backend.toDoubles(backend.concat(List.of(x, matrix(2, 1, 7, 8)), 1)))
        .containsExactly(1, 2, 3, 7, 4, 5, 6, 8);
    assertThat(backend.toDoubles(backend.concat(List.of(x, matrix(1, 3, 7, 8, 9)), 0)))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(backend.toDoubles(backend.broadcastTo(matrix(2, 1, 7, 8), Shape.of(2, 2, 3))))
        .containsExactly(7, 7, 7, 8, 8, 8, 7, 7, 7, 8, 8, 8);
    assertThat(backend.toDoubles(backend.gather(x, new int[] {1, 1, 0}))).containsExactly(4, 5, 6, 4, 5, 6, 1, 2, 3);
    assertThat(backend.toDoubles(backend.scatterAdd(x, new int[] {2, 2}, 3)))
        .containsExactly(0, 0, 0, 0, 0, 0, 5, 7, 9);
    NdArray a = matrix(2, 3, 1, 2, 3, 4, 5, 6);
    NdArray b = backend.fromHost(new double[] {10, 20, 30}, Shape.of(3), DType.FLOAT64);
    assertThat(backend.toDoubles(backend.binary(Op.SUB, a, b))).containsExactly(-9, -18, -27, -6, -15, -24);
  }

  @Test
  void matmulOfTwoByTwoMatricesByHand() {
    NdArray a = matrix(2, 2, 1, 2, 3, 4);
    NdArray b = matrix(2, 2, 5, 6, 7, 8);
    assertThat(backend.toDoubles(backend.matmul(a, b, false, false))).containsExactly(19, 22, 43, 50);
    assertThat(backend.toDoubles(backend.matmul(a, b, true, false))).containsExactly(26, 30, 38, 44);
    assertThat(backend.toDoubles(backend.matmul(a, b, false, true))).containsExactly(17, 23, 39, 53);
    assertThat(backend.toDoubles(backend.matmul(a, b, true, true))).containsExactly(23, 31, 34, 46);
    NdArray batched = backend.fromHost(new double[] {1, 2, 3, 4, 1, 0, 0, 1}, Shape.of(2, 2, 2), DType.FLOAT64);
    NdArray rhs = backend.fromHost(new double[] {5, 6, 7, 8, 5, 6, 7, 8}, Shape.of(2, 2, 2), DType.FLOAT64);
    assertThat(backend.toDoubles(backend.matmul(batched, rhs, false, false)))
        .containsExactly(19, 22, 43, 50, 5, 6, 7, 8);
  }

  @Test
  void choleskyOfAKnownMatrix() {
    NdArray a = matrix(3, 3, 4, 12, -16, 12, 37, -43, -16, -43, 98);
    assertThat(backend.toDoubles(backend.cholesky(a))).containsExactly(2, 0, 0, 6, 1, 0, -8, 5, 3);
    NdArray notPd = backend.fromHost(new double[] {4, 0, 0, 1, 1, 2, 2, 1}, Shape.of(2, 2, 2), DType.FLOAT64);
    assertThatIllegalArgumentException().isThrownBy(() -> backend.cholesky(notPd))
        .withMessageContaining("batch index 1").withMessageContaining("not positive definite");
  }

  @Test
  void triangularSolveOfAKnownSystem() {
    NdArray l = matrix(3, 3, 2, 0, 0, 6, 1, 0, -8, 5, 3);
    NdArray u = backend.permute(l, new int[] {1, 0});
    NdArray x = matrix(3, 1, 1, -1, 2);
    NdArray lx = matrix(3, 1, 2, 5, -7);
    NdArray ltx = matrix(3, 1, -20, 9, 6);
    assertThat(backend.toDoubles(backend.triangularSolve(l, lx, true, false))).containsExactly(1, -1, 2);
    assertThat(backend.toDoubles(backend.triangularSolve(l, ltx, true, true))).containsExactly(1, -1, 2);
    assertThat(backend.toDoubles(backend.triangularSolve(u, ltx, false, false))).containsExactly(1, -1, 2);
    assertThat(backend.toDoubles(backend.triangularSolve(u, lx, false, true))).containsExactly(1, -1, 2);
    assertThat(backend.toDoubles(backend.matmul(l, x, false, false))).containsExactly(2, 5, -7);
    assertThat(backend.toDoubles(backend.matmul(l, x, true, false))).containsExactly(-20, 9, 6);
  }

  // ---- Philox

  /** Philox4x32-10 written from the Random123 paper with a full 128-bit counter, for the known answers. */
  private static int[] philox4x32x10(int[] counter, int[] key) {
    int[] c = counter.clone();
    int k0 = key[0];
    int k1 = key[1];
    for (int round = 0; round < 10; round++) {
      if (round > 0) {
        k0 += 0x9E3779B9;
        k1 += 0xBB67AE85;
      }
      long p0 = 0xD2511F53L * Integer.toUnsignedLong(c[0]);
      long p1 = 0xCD9E8D57L * Integer.toUnsignedLong(c[2]);
      c = new int[] {(int) (p1 >>> 32) ^ c[1] ^ k0, (int) p1, (int) (p0 >>> 32) ^ c[3] ^ k1, (int) p0};
    }
    return c;
  }

  @Test
  void philoxMatchesTheRandom123KnownAnswers() {
    int[] allOnes = {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff};
    assertThat(Philox.block(0L, 0L)).containsExactly(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
    assertThat(philox4x32x10(new int[4], new int[2])).containsExactly(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
    assertThat(philox4x32x10(allOnes, new int[] {0xffffffff, 0xffffffff}))
        .containsExactly(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
    int[] piDigits = {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344};
    assertThat(philox4x32x10(piDigits, new int[] {0xa4093822, 0x299f31d0}))
        .containsExactly(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
  }

  @Test
  void philoxBlockIsPhiloxWithTheHighCounterWordsZero() {
    Random random = new Random(11);
    for (int i = 0; i < 200; i++) {
      long seed = random.nextLong();
      long counter = i < 100 ? random.nextLong() : random.nextInt(1000);
      int[] expected = philox4x32x10(new int[] {(int) counter, (int) (counter >>> 32), 0, 0},
          new int[] {(int) seed, (int) (seed >>> 32)});
      assertThat(Philox.block(seed, counter)).as("seed %s counter %s", seed, counter).containsExactly(expected);
    }
  }

  @Test
  void philoxMatchesTheRandom123KnownAnswersWithFullCounters() {
    assertThat(Philox.block(-1L, -1L, -1L)).containsExactly(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
    assertThat(Philox.block(0x299f31d0a4093822L, 0x85a308d3243f6a88L, 0x0370734413198a2eL))
        .containsExactly(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
  }

  @Test
  void philoxStreamsFollowTheirDefinition() {
    Random random = new Random(5);
    for (int t = 0; t < 200; t++) {
      long seed = random.nextLong();
      long i = t < 100 ? random.nextInt(1000) : random.nextLong() >>> 3;
      int[] block = Philox.block(seed, i >>> 2);
      int word = block[(int) (i & 3)];
      assertThat(Philox.word(seed, i)).isEqualTo(word);
      float[] one = new float[1];
      Philox.uniformFloats(seed, i, one);
      assertThat(one[0]).isEqualTo((word >>> 8) * 0x1p-24f);
      int[] doubleBlock = Philox.block(seed, i >>> 1, 1L);
      int lane = (int) (i & 1) * 2;
      double u = ((doubleBlock[lane] >>> 5) * 0x1p26 + (doubleBlock[lane + 1] >>> 6)) * 0x1p-53;
      assertThat(Philox.uniformDouble(seed, i)).isEqualTo(u);
      double u1 = Philox.uniformDouble(seed, i & ~1L);
      double u2 = Philox.uniformDouble(seed, (i & ~1L) + 1);
      double r = Math.sqrt(-2 * Math.log1p(-u1));
      double z = (i & 1) == 0 ? r * Math.cos(2 * PI * u2) : r * Math.sin(2 * PI * u2);
      assertThat(Philox.normal(seed, i)).isEqualTo(z);
    }
  }

  @Test
  void randomOpsReadThePhiloxStreams() {
    double[] expected = new double[5];
    Philox.uniformDoubles(9, 3, expected);
    assertThat(backend.toDoubles(backend.randomUniform(9, 3, Shape.of(5), DType.FLOAT64))).containsExactly(expected);
    Philox.normals(9, 3, expected);
    assertThat(backend.toDoubles(backend.randomNormal(9, 3, Shape.of(5), DType.FLOAT64))).containsExactly(expected);
    float[] floats = new float[5];
    Philox.uniformFloats(9, 3, floats);
    assertThat(backend.toFloats(backend.randomUniform(9, 3, Shape.of(5), DType.FLOAT32))).containsExactly(floats);
    assertThatIllegalArgumentException().isThrownBy(() -> backend.randomUniform(9, -1, Shape.of(1), DType.FLOAT32));
  }

  // ---- fused kernels and the provider

  @Test
  void fusedKernelsByHand() {
    FusedKernel.Softplus softplus = backend.fused(FusedKernel.Softplus.class).orElseThrow();
    assertThat(backend.toDoubles(softplus.softplus(matrix(1, 3, 0, 1000, -1000))))
        .containsExactly(LN2, 1000, Math.exp(-1000));
    FusedKernel.AdamUpdate adam = backend.fused(FusedKernel.AdamUpdate.class).orElseThrow();
    NdArray param = matrix(1, 1, 1);
    NdArray m = matrix(1, 1, 0);
    NdArray v = matrix(1, 1, 0);
    adam.adamUpdate(param, matrix(1, 1, 0.5), m, v, 0.1, 0.9, 0.999, 0, 0, 1);
    // After one step m̂ = g and v̂ = g², so the step is lr · sign(g).
    assertThat(backend.toDoubles(param)[0]).isCloseTo(0.9, within(1e-15));
    assertThat(backend.toDoubles(m)[0]).isCloseTo(0.05, within(1e-15));
    assertThat(backend.toDoubles(v)[0]).isCloseTo(0.00025, within(1e-15));
  }

  @Test
  void withoutFusedKernelsOffersNone() {
    ReferenceBackend plain = ReferenceBackend.withoutFusedKernels();
    assertThat(plain.fused(FusedKernel.Softplus.class)).isEmpty();
    assertThat(plain.fused(FusedKernel.BernoulliLogLikelihood.class)).isEmpty();
    assertThat(plain.fused(FusedKernel.AdamUpdate.class)).isEmpty();
  }

  @Test
  void providerIsNamedReferenceAndIsNotRegisteredAsAService() {
    ReferenceBackendProvider provider = new ReferenceBackendProvider();
    assertThat(provider.name()).isEqualTo("reference");
    assertThat(provider.priority()).isZero();
    assertThat(provider.probe().available()).isTrue();
    assertThat(provider.probe().reason()).isNotBlank();
    assertThat(provider.create()).isInstanceOf(ReferenceBackend.class);
    assertThat(ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::type))
        .doesNotContain(ReferenceBackendProvider.class);
  }

  @Test
  void arraysOfAnotherBackendAreRejected() {
    NdArray stranger = new NdArray() {
      @Override
      public Shape shape() {
        return Shape.of(1);
      }

      @Override
      public DType dtype() {
        return DType.FLOAT64;
      }

      @Override
      public boolean isClosed() {
        return false;
      }

      @Override
      public void close() {}
    };
    assertThatIllegalArgumentException().isThrownBy(() -> backend.unary(Op.EXP, stranger))
        .withMessageContaining("did not make");
  }
}
