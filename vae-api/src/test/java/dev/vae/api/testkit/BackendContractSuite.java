package dev.vae.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.ConvGeometry;
import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.api.backend.Philox;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link Backend} meets, written once and run by every backend module: subclass
 * it in the module's tests and return the backend from {@link #backend()}.
 *
 * <p>Each primitive of {@link Op} runs on the backend under test and on the {@link ReferenceBackend}
 * with the same seeded random inputs (drawn from the op's domain), in float64 and float32, on
 * shapes that include scalars, empty and size-1 axes and broadcasting between ranks; results must
 * agree within the {@link Tolerance} of the op's kind. Further checks: IEEE special values, error
 * messages naming shapes and dtypes, memory scopes, the {@link Philox} random stream and its
 * moments, and the fused Adam update when the backend offers it (the kernels tensor code calls are
 * checked against their compositions by vae-core's {@code KernelContractSuite}). A
 * large-shape tier ({@code LargeShapes}) repeats the primitives on operands of at least 2^16
 * elements with odd prime sizes, in every layout a movement op leaves behind and every broadcasting
 * pattern, so the paths a backend takes only for large arrays are held to the same contract.
 *
 * <p>Every failure message starts with the test's label and seed; rerun with
 * {@code -Dvae.contract.seed=N} to try other inputs. The suite calls {@link #backend()} once per
 * test class and never closes it. Each test runs inside a memory scope and fails if the backend's
 * {@link Backend#liveArrays()} has not returned to its starting value when that scope closes.
 *
 * <p>Error messages: shape and dtype errors must name both shapes (their {@code toString()}) or
 * both dtypes, as {@link dev.vae.api.backend.ShapeRules} writes them; a failed Cholesky
 * factorization must contain "batch index N" for the first failing matrix N (counted row-major
 * over the leading axes; 0 for a single matrix). Use of a freed array is an
 * {@link IllegalStateException}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractSuite {
  private final ReferenceBackend reference = new ReferenceBackend();
  private Backend backend;
  private MemoryScope testScope;
  private MemoryScope referenceScope;
  private long liveBefore;
  private long referenceLiveBefore;

  /** The backend under test; called once per test class. */
  protected abstract Backend backend();

  @BeforeEach
  final void openTestScopes() {
    if (backend == null) {
      backend = backend();
    }
    liveBefore = backend.liveArrays();
    referenceLiveBefore = reference.liveArrays();
    testScope = backend.openScope();
    referenceScope = reference.openScope();
  }

  @AfterEach
  final void closeTestScopesAndCheckForLeaks() {
    if (testScope == null) {
      return; // the backend could not be made here, and the test was skipped saying why
    }
    testScope.close();
    referenceScope.close();
    testScope = null;
    assertThat(backend.liveArrays())
        .as("%s: live arrays after the test's memory scope closed (more than before means a leak)",
            backend.name())
        .isEqualTo(liveBefore);
    assertThat(reference.liveArrays()).as("reference live arrays after the test").isEqualTo(referenceLiveBefore);
  }

  // ---- the comparison helper

  /** A computation run once on each backend, from inputs already placed on that backend. */
  @FunctionalInterface
  protected interface Computation {
    NdArray apply(Backend backend, NdArray[] inputs);
  }

  /**
   * Runs {@code computation} on the backend under test and on the reference with the same inputs,
   * and checks that shapes, dtypes and values agree, that the result is a new array and that the
   * inputs are unchanged. {@code scale}, when given, is computed on the reference from the same
   * inputs and widens the tolerance element by element (see {@link Tolerance}). Returns the
   * backend's result.
   */
  protected final NdArray check(TestData data, String what, Tolerance tolerance, Computation scale,
      Computation computation, HostArray... inputs) {
    String message = data.where(what + ", inputs " + Arrays.toString(inputs));
    NdArray[] actualInputs = new NdArray[inputs.length];
    NdArray[] referenceInputs = new NdArray[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      actualInputs[i] = inputs[i].on(backend);
      referenceInputs[i] = inputs[i].on(reference);
    }
    NdArray expected = computation.apply(reference, referenceInputs);
    NdArray actual = computation.apply(backend, actualInputs);
    double[] scales = scale == null ? null : reference.toDoubles(scale.apply(reference, referenceInputs));
    for (NdArray input : actualInputs) {
      assertThat(actual).as("%s: the result must be a new array, not an input", message).isNotSameAs(input);
    }
    assertThat(actual.shape()).as("%s: result shape", message).isEqualTo(expected.shape());
    assertThat(actual.dtype()).as("%s: result dtype", message).isEqualTo(expected.dtype());
    assertValues(message, expected.shape(), backend.toDoubles(actual), reference.toDoubles(expected),
        tolerance, scales);
    for (int i = 0; i < inputs.length; i++) {
      assertValues(message + ": input " + i + " must not change", inputs[i].shape(),
          backend.toDoubles(actualInputs[i]), inputs[i].data(), Tolerance.exact(), null);
    }
    return actual;
  }

  /** {@link #check} without a scale. */
  protected final NdArray check(TestData data, String what, Tolerance tolerance, Computation computation,
      HostArray... inputs) {
    return check(data, what, tolerance, null, computation, inputs);
  }

  /** Fails listing the first elements that differ beyond the tolerance, with their indices. */
  protected static void assertValues(String message, Shape shape, double[] actual, double[] expected,
      Tolerance tolerance, double[] scales) {
    assertThat(actual.length).as("%s: number of elements", message).isEqualTo(expected.length);
    List<String> mismatches = new ArrayList<>();
    int count = 0;
    for (int i = 0; i < actual.length; i++) {
      if (!tolerance.accepts(actual[i], expected[i], scales == null ? 0 : scales[i])) {
        if (count++ < 6) {
          mismatches.add("at " + Arrays.toString(multiIndex(shape, i)) + " got " + actual[i]
              + ", expected " + expected[i]);
        }
      }
    }
    if (count > mismatches.size()) {
      mismatches.add("... " + (count - mismatches.size()) + " more");
    }
    assertThat(mismatches)
        .as("%s: %d of %d elements differ beyond %s", message, count, actual.length, tolerance)
        .isEmpty();
  }

  private static int[] multiIndex(Shape shape, int flat) {
    int[] index = new int[shape.rank()];
    int[] strides = shape.strides();
    for (int axis = 0; axis < index.length; axis++) {
      index[axis] = strides[axis] == 0 ? 0 : flat / strides[axis];
      flat -= index[axis] * strides[axis];
    }
    return index;
  }

  /** A scale of max |result| over the whole result, for normwise checks of linear algebra. */
  private static Computation normwise(Computation computation) {
    return (b, in) -> {
      NdArray result = computation.apply(b, in);
      NdArray largest = b.reduce(Op.REDUCE_MAX, b.unary(Op.ABS, result), new int[0], false);
      return b.broadcastTo(largest, result.shape());
    };
  }

  /**
   * op(x, s), or op(s, x) when {@code scalarFirst}, where s is a one-element array of x's dtype made
   * by {@code full} (so the scalar is rounded to that dtype first) and broadcast by the op.
   */
  static NdArray withScalar(Backend b, Op op, NdArray x, double scalar, boolean scalarFirst) {
    NdArray s = b.full(Shape.scalar(), x.dtype(), scalar);
    return scalarFirst ? b.binary(op, s, x) : b.binary(op, x, s);
  }

  private static void assertRejected(ThrowingCallable call, String... fragments) {
    assertThatIllegalArgumentException().isThrownBy(call).withMessageContainingAll(fragments);
  }

  private static Stream<Arguments> opsWithDtypes(Op.Kind... kinds) {
    List<Op.Kind> wanted = List.of(kinds);
    return Arrays.stream(Op.values())
        .filter(op -> wanted.contains(op.kind()))
        .flatMap(op -> Arrays.stream(DType.values()).map(dtype -> Arguments.of(op, dtype)));
  }

  private static Tolerance toleranceOf(Op op, DType dtype) {
    return switch (op) {
      case LGAMMA, DIGAMMA, TRIGAMMA -> Tolerance.special(dtype);
      default -> Tolerance.elementwise(dtype);
    };
  }

  /** Inputs from the op's domain: positive for LOG and the gamma family, above −1 for LOG1P. */
  private HostArray unaryInput(Op op, TestData data, Shape shape, DType dtype) {
    return switch (op) {
      case LOG -> data.logUniform(shape, dtype, 1e-3, 1e3);
      case SQRT -> data.uniform(shape, dtype, 0, 100);
      case LOG1P -> data.uniform(shape, dtype, -0.99, 10);
      case EXP, EXPM1, SIGMOID -> data.uniform(shape, dtype, -20, 20);
      case LGAMMA, DIGAMMA, TRIGAMMA -> data.logUniform(shape, dtype, 0.02, 40);
      case SIGN, ABS -> data.choices(shape, dtype, -2.5, -1, 0, 0.5, 3);
      default -> data.uniform(shape, dtype, -5, 5);
    };
  }

  /** Inputs of a binary op's first or second operand: divisors away from 0, positive bases. */
  private HostArray binaryInput(Op op, boolean first, TestData data, Shape shape, DType dtype) {
    if (op.kind() == Op.Kind.COMPARE) {
      return data.integers(shape, dtype, -2, 2);
    }
    return switch (op) {
      case DIV -> first ? data.uniform(shape, dtype, -5, 5) : data.awayFromZero(shape, dtype, 0.2, 5);
      case POW -> first ? data.uniform(shape, dtype, 0.1, 5) : data.uniform(shape, dtype, -3, 3);
      default -> data.uniform(shape, dtype, -5, 5);
    };
  }

  private static int[] allAxes(int rank) {
    int[] axes = new int[rank];
    Arrays.setAll(axes, i -> i);
    return axes;
  }

  // ---- host transfers and casts

  /** fromHost, toDoubles, toFloats, full and cast keep every value (rounded to float for float32). */
  @Nested
  class HostTransfers {
    private final double[] specials = {0, -0.0, 1, -1.5, 0.1, 1e-3, Math.PI, 1e30, 1e39, -1e39,
        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, 123456789.123};

    private double[] cycle(int size) {
      double[] data = new double[size];
      for (int i = 0; i < size; i++) {
        data[i] = specials[i % specials.length];
      }
      return data;
    }

    private double round(DType dtype, double value) {
      return dtype == DType.FLOAT32 ? (float) value : value;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fromHostRoundTripsThroughToDoublesAndToFloats(DType dtype) {
      TestData data = new TestData("fromHost round trip " + dtype);
      for (Shape shape : List.of(Shape.scalar(), Shape.of(0), Shape.of(14), Shape.of(2, 7), Shape.of(2, 0, 3))) {
        double[] values = cycle(shape.sizeAsInt());
        NdArray x = backend.fromHost(values, shape, dtype);
        String what = data.where("fromHost " + shape + " " + dtype);
        assertThat(x.shape()).as(what).isEqualTo(shape);
        assertThat(x.dtype()).as(what).isEqualTo(dtype);
        double[] expected = values.clone();
        float[] expectedFloats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
          expected[i] = round(dtype, values[i]);
          expectedFloats[i] = (float) values[i];
        }
        assertValues(what + ", toDoubles", shape, backend.toDoubles(x), expected, Tolerance.exact(), null);
        float[] floats = backend.toFloats(x);
        double[] widened = new double[floats.length];
        double[] expectedWidened = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
          widened[i] = floats[i];
          expectedWidened[i] = expectedFloats[i];
        }
        assertValues(what + ", toFloats", shape, widened, expectedWidened, Tolerance.exact(), null);
      }
    }

    @Test
    void floatHostDataIsStoredExactlyAsFloat32() {
      TestData data = new TestData("fromHost float[]");
      float[] values = {0f, 1.5f, -0.1f, Float.MIN_NORMAL, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN,
          3.4028235e38f, 1.1754944e-38f, (float) Math.PI, 7f, -2f};
      NdArray x = backend.fromHost(values, Shape.of(3, 4));
      assertThat(x.dtype()).as(data.where("dtype")).isEqualTo(DType.FLOAT32);
      assertThat(x.shape()).as(data.where("shape")).isEqualTo(Shape.of(3, 4));
      assertThat(backend.toFloats(x)).as(data.where("toFloats")).containsExactly(values);
      double[] widened = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        widened[i] = values[i];
      }
      assertValues(data.where("toDoubles"), x.shape(), backend.toDoubles(x), widened, Tolerance.exact(), null);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fullFillsEveryElement(DType dtype) {
      TestData data = new TestData("full " + dtype);
      for (double value : new double[] {0, -2.5, 0.1, 1e39, Double.POSITIVE_INFINITY, Double.NaN}) {
        for (Shape shape : List.of(Shape.scalar(), Shape.of(0), Shape.of(2, 3), Shape.of(1, 4, 1))) {
          check(data, "full(" + shape + ", " + value + ")", Tolerance.exact(),
              (b, in) -> b.full(shape, dtype, value));
          double[] expected = new double[shape.sizeAsInt()];
          Arrays.fill(expected, round(dtype, value));
          assertValues(data.where("full " + shape + " " + value), shape,
              backend.toDoubles(backend.full(shape, dtype, value)), expected, Tolerance.exact(), null);
        }
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void castRoundsToNearestAndWidensExactly(DType from) {
      TestData data = new TestData("cast from " + from);
      for (Shape shape : List.of(Shape.scalar(), Shape.of(0), Shape.of(14), Shape.of(2, 7))) {
        double[] values = cycle(shape.sizeAsInt());
        for (int i = 0; i < values.length; i += 3) {
          values[i] = data.random().nextGaussian() * 1e3;
        }
        HostArray x = new HostArray(values, shape, from);
        for (DType to : DType.values()) {
          check(data, "cast " + x + " to " + to, Tolerance.exact(), (b, in) -> b.cast(in[0], to), x);
          check(data, "cast " + x + " to " + to + " and back", Tolerance.exact(),
              (b, in) -> b.cast(b.cast(in[0], to), from), x);
        }
      }
    }
  }

  // ---- elementwise ops

  /** Unary, binary, compare, scalar and select ops against the reference, and IEEE special values. */
  @Nested
  class Elementwise {
    static Stream<Arguments> unaryOps() {
      return opsWithDtypes(Op.Kind.UNARY);
    }

    static Stream<Arguments> binaryOps() {
      return opsWithDtypes(Op.Kind.BINARY, Op.Kind.COMPARE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unaryOps")
    void unaryMatchesReference(Op op, DType dtype) {
      TestData data = new TestData("unary " + op + " " + dtype);
      for (Shape shape : data.shapes(10)) {
        HostArray x = unaryInput(op, data, shape, dtype);
        check(data, op.toString(), toleranceOf(op, dtype), (b, in) -> b.unary(op, in[0]), x);
      }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unaryOps")
    void unaryHandlesSpecialValues(Op op, DType dtype) {
      TestData data = new TestData("unary specials " + op + " " + dtype);
      double inf = Double.POSITIVE_INFINITY;
      // The gamma family is checked at its poles 0, -1, -2 (see SpecialFunctions), not at -inf.
      double[] values = switch (op) {
        case LGAMMA, DIGAMMA, TRIGAMMA ->
            new double[] {Double.NaN, inf, -2.5, -2, -1, -0.5, 0, 0.5, 1, 2, 2.5, 40, 1e10};
        default -> new double[] {Double.NaN, -inf, -1e10, -2.5, -2, -1, -0.5, 0, 0.5, 1, 2, 2.5, 40, 1e10, inf};
      };
      HostArray x = TestData.values(Shape.of(values.length), dtype, values);
      check(data, op + " at special values", toleranceOf(op, dtype), (b, in) -> b.unary(op, in[0]), x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void smallArgumentsKeepRelativeAccuracy(DType dtype) {
      TestData data = new TestData("relative accuracy " + dtype);
      Tolerance relative = new Tolerance(Tolerance.elementwise(dtype).rtol(), 0);
      HostArray tiny = TestData.values(Shape.of(8), dtype, 1e-3, -1e-3, 1e-5, -1e-5, 3e-8, -3e-8, 1e-10, -1e-12);
      for (Op op : List.of(Op.LOG1P, Op.EXPM1, Op.TANH)) {
        check(data, op + " near 0", relative, (b, in) -> b.unary(op, in[0]), tiny);
      }
      HostArray tails = TestData.values(Shape.of(6), dtype, -30, -50, -80, 30, 50, 80);
      check(data, "SIGMOID in its tails", relative, (b, in) -> b.unary(Op.SIGMOID, in[0]), tails);
      HostArray huge = TestData.values(Shape.of(4), dtype, -1000, 1000, -1e30, 1e30);
      check(data, "SIGMOID never overflows", Tolerance.exact(), (b, in) -> b.unary(Op.SIGMOID, in[0]), huge);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryOps")
    void binaryMatchesReferenceWithBroadcasting(Op op, DType dtype) {
      TestData data = new TestData("binary " + op + " " + dtype);
      for (Shape[] pair : data.broadcastPairs(10)) {
        HostArray a = binaryInput(op, true, data, pair[0], dtype);
        HostArray b = binaryInput(op, false, data, pair[1], dtype);
        check(data, op.toString(), toleranceOf(op, dtype), (be, in) -> be.binary(op, in[0], in[1]), a, b);
      }
    }

    /** NaN, the infinities and a few ordinary values: the operands of the binary special-value checks. */
    private static final double[] BINARY_SPECIALS =
        {Double.NaN, Double.NEGATIVE_INFINITY, -2, -1, -0.5, 0, 0.5, 1, 2, 3, Double.POSITIVE_INFINITY};

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryOps")
    void binaryHandlesSpecialValues(Op op, DType dtype) {
      TestData data = new TestData("binary specials " + op + " " + dtype);
      double[] values = BINARY_SPECIALS;
      HostArray column = TestData.values(Shape.of(values.length, 1), dtype, values);
      HostArray row = TestData.values(Shape.of(1, values.length), dtype, values);
      check(data, op + " on every pair of special values", toleranceOf(op, dtype),
          (b, in) -> b.binary(op, in[0], in[1]), column, row);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryOps")
    void aScalarOperandMatchesReferenceInBothOrders(Op op, DType dtype) {
      TestData data = new TestData("scalar operand " + op + " " + dtype);
      for (boolean scalarFirst : new boolean[] {false, true}) {
        for (double scalar : scalarsFor(op, scalarFirst)) {
          for (Shape shape : List.of(Shape.scalar(), Shape.of(0), Shape.of(7), Shape.of(2, 1, 3))) {
            HostArray a = scalarOperand(op, scalarFirst, scalar, data, shape, dtype);
            String what = scalarFirst ? op + "(" + scalar + ", a)" : op + "(a, " + scalar + ")";
            check(data, what, toleranceOf(op, dtype), (b, in) -> withScalar(b, op, in[0], scalar, scalarFirst), a);
          }
        }
      }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryOps")
    void aScalarOperandHandlesSpecialValuesInBothOrders(Op op, DType dtype) {
      TestData data = new TestData("scalar operand specials " + op + " " + dtype);
      HostArray a = TestData.values(Shape.of(BINARY_SPECIALS.length), dtype, BINARY_SPECIALS);
      double inf = Double.POSITIVE_INFINITY;
      for (boolean scalarFirst : new boolean[] {false, true}) {
        for (double scalar : new double[] {Double.NaN, -inf, 0, 1, inf}) {
          String what = scalarFirst ? op + "(" + scalar + ", specials)" : op + "(specials, " + scalar + ")";
          check(data, what, toleranceOf(op, dtype), (b, in) -> withScalar(b, op, in[0], scalar, scalarFirst), a);
        }
      }
    }

    /**
     * Compare ops against scalars, where the array holds the scalar itself, the next values above
     * and below it in the dtype, both zeros, the smallest subnormals, NaN and infinity: a backend
     * that compares against a shifted threshold, or flushes subnormals, fails here.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("compareOps")
    void scalarComparisonsTellTheScalarFromItsNeighbours(Op op, DType dtype) {
      TestData data = new TestData("scalar neighbours " + op + " " + dtype);
      boolean single = dtype == DType.FLOAT32;
      double tiny = single ? Float.MIN_VALUE : Double.MIN_VALUE;
      double largest = single ? Float.MAX_VALUE : Double.MAX_VALUE;
      for (double scalar : new double[] {0, -0.0, 1, 0.1, -2, tiny, -tiny, largest, -largest}) {
        double s = single ? (float) scalar : scalar;
        double above = single ? Math.nextUp((float) s) : Math.nextUp(s);
        double below = single ? Math.nextDown((float) s) : Math.nextDown(s);
        HostArray a = TestData.values(Shape.of(10), dtype, s, above, below, -0.0, 0.0, tiny, -tiny, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        for (boolean scalarFirst : new boolean[] {false, true}) {
          String what = scalarFirst ? op + "(" + scalar + ", neighbours)" : op + "(neighbours, " + scalar + ")";
          check(data, what, Tolerance.exact(), (b, in) -> withScalar(b, op, in[0], scalar, scalarFirst), a);
        }
      }
    }

    static Stream<Arguments> compareOps() {
      return opsWithDtypes(Op.Kind.COMPARE);
    }

    private double[] scalarsFor(Op op, boolean scalarFirst) {
      if (op.kind() == Op.Kind.COMPARE) {
        return new double[] {0, 1, 0.1, -2};
      }
      return switch (op) {
        case DIV -> scalarFirst ? new double[] {1, -3, 0.1} : new double[] {2, -0.5, 0.1};
        case POW -> scalarFirst ? new double[] {2, 0.5, 0.1} : new double[] {2, 3, -0.5, 0.1};
        default -> new double[] {2, -0.5, 0.1};
      };
    }

    /** The array operand of a scalar op; compare ops see 0.1 rounded to the dtype, as the scalar is. */
    private HostArray scalarOperand(Op op, boolean scalarFirst, double scalar, TestData data, Shape shape,
        DType dtype) {
      if (op.kind() == Op.Kind.COMPARE) {
        return data.choices(shape, dtype, -2, -1, 0, 0.1, 1, 2);
      }
      boolean integerPower = op == Op.POW && !scalarFirst && scalar == Math.rint(scalar);
      if (op == Op.POW && !scalarFirst && !integerPower) {
        return data.uniform(shape, dtype, 0.1, 5);
      }
      if (op == Op.POW) {
        return data.uniform(shape, dtype, -3, 3);
      }
      if (op == Op.DIV && scalarFirst) {
        return data.awayFromZero(shape, dtype, 0.2, 5);
      }
      return data.uniform(shape, dtype, -5, 5);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void whereSelectsWithThreeWayBroadcasting(DType dtype) {
      TestData data = new TestData("where " + dtype);
      List<Shape[]> cases = new ArrayList<>(List.of(
          new Shape[] {Shape.scalar(), Shape.scalar(), Shape.scalar()},
          new Shape[] {Shape.of(2, 3), Shape.of(3), Shape.of(2, 1)},
          new Shape[] {Shape.of(0, 1), Shape.of(1, 3), Shape.scalar()},
          new Shape[] {Shape.of(4, 1, 1), Shape.of(3, 1), Shape.of(2)}));
      for (int i = 0; i < 10; i++) {
        cases.add(data.broadcastable(3));
      }
      for (Shape[] shapes : cases) {
        HostArray condition = data.choices(shapes[0], dtype, 0, 1, -2, 0.5, 0);
        HostArray a = data.uniform(shapes[1], dtype, -5, 5);
        HostArray b = data.uniform(shapes[2], dtype, -5, 5);
        check(data, "WHERE", Tolerance.exact(), (be, in) -> be.where(in[0], in[1], in[2]), condition, a, b);
      }
    }
  }

  // ---- reductions

  /** SUM and REDUCE_MAX over single, several and all axes, keeping axes or not, empty axes included. */
  @Nested
  class Reductions {
    static Stream<Arguments> reduceOps() {
      return opsWithDtypes(Op.Kind.REDUCE);
    }

    /** All axes (none named), each single axis, a random several (shuffled, negative, repeated), all named. */
    private List<int[]> axisChoices(Shape shape, TestData data) {
      int rank = shape.rank();
      List<int[]> choices = new ArrayList<>();
      choices.add(new int[0]);
      for (int axis = 0; axis < rank; axis++) {
        choices.add(new int[] {data.nextBoolean() ? axis : axis - rank});
      }
      if (rank >= 2) {
        int[] permutation = data.permutation(rank);
        int[] several = Arrays.copyOf(permutation, data.nextInt(2, rank));
        several[0] -= data.nextBoolean() ? rank : 0;
        choices.add(several);
        choices.add(new int[] {permutation[0], permutation[0] - rank, permutation[1]});
      }
      if (rank >= 1) {
        choices.add(allAxes(rank));
      }
      return choices;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("reduceOps")
    void reduceMatchesReference(Op op, DType dtype) {
      TestData data = new TestData("reduce " + op + " " + dtype);
      for (Shape shape : data.shapes(8)) {
        HostArray x = data.uniform(shape, dtype, -5, 5);
        for (int[] axes : axisChoices(shape, data)) {
          for (boolean keepDims : new boolean[] {false, true}) {
            String what = op + " over axes " + Arrays.toString(axes) + (keepDims ? ", keeping dims" : "");
            if (op == Op.SUM) {
              check(data, what, Tolerance.accumulating(dtype),
                  (b, in) -> b.reduce(Op.SUM, b.unary(Op.ABS, in[0]), axes, keepDims),
                  (b, in) -> b.reduce(op, in[0], axes, keepDims), x);
            } else {
              check(data, what, Tolerance.exact(), (b, in) -> b.reduce(op, in[0], axes, keepDims), x);
            }
          }
        }
      }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("reduceOps")
    void reducingAnEmptyAxisGivesTheIdentity(Op op, DType dtype) {
      TestData data = new TestData("reduce empty " + op + " " + dtype);
      double identity = op == Op.SUM ? 0 : Double.NEGATIVE_INFINITY;
      NdArray x = backend.full(Shape.of(2, 0, 3), dtype, 1);
      record Case(int[] axes, boolean keepDims, Shape shape) {}
      for (Case c : List.of(
          new Case(new int[] {1}, false, Shape.of(2, 3)),
          new Case(new int[] {-2}, true, Shape.of(2, 1, 3)),
          new Case(new int[0], false, Shape.scalar()),
          new Case(new int[] {0, 1}, true, Shape.of(1, 1, 3)),
          new Case(new int[] {2}, false, Shape.of(2, 0)))) {
        NdArray result = backend.reduce(op, x, c.axes(), c.keepDims());
        String what = data.where(op + " of [2, 0, 3] over " + Arrays.toString(c.axes()));
        assertThat(result.shape()).as(what).isEqualTo(c.shape());
        double[] expected = new double[c.shape().sizeAsInt()];
        Arrays.fill(expected, identity);
        assertValues(what, c.shape(), backend.toDoubles(result), expected, Tolerance.exact(), null);
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionsPropagateNaNAndInfinities(DType dtype) {
      TestData data = new TestData("reduce specials " + dtype);
      double nan = Double.NaN;
      double inf = Double.POSITIVE_INFINITY;
      HostArray x = TestData.values(Shape.of(4, 3), dtype, 1, nan, 3, -inf, -inf, -inf, inf, -inf, 1, 2, inf, nan);
      NdArray max = check(data, "REDUCE_MAX with NaN and infinities", Tolerance.exact(),
          (b, in) -> b.reduce(Op.REDUCE_MAX, in[0], new int[] {1}, false), x);
      assertValues(data.where("REDUCE_MAX propagates NaN"), max.shape(), backend.toDoubles(max),
          new double[] {nan, -inf, inf, nan}, Tolerance.exact(), null);
      NdArray sum = check(data, "SUM with NaN and infinities", Tolerance.exact(),
          (b, in) -> b.reduce(Op.SUM, in[0], new int[] {1}, false), x);
      assertValues(data.where("SUM propagates NaN"), sum.shape(), backend.toDoubles(sum),
          new double[] {nan, -inf, nan, nan}, Tolerance.exact(), null);
    }
  }

  // ---- linear algebra

  /** MATMUL, CHOLESKY and TRIANGULAR_SOLVE against the reference and by reconstruction. */
  @Nested
  class LinearAlgebra {
    static Stream<Arguments> dtypesAndFlags() {
      return Arrays.stream(DType.values()).flatMap(dtype -> Stream.of(
          Arguments.of(dtype, false, false), Arguments.of(dtype, false, true),
          Arguments.of(dtype, true, false), Arguments.of(dtype, true, true)));
    }

    @ParameterizedTest(name = "{0}, transposeA {1}, transposeB {2}")
    @MethodSource("dtypesAndFlags")
    void matmulMatchesReference(DType dtype, boolean transposeA, boolean transposeB) {
      TestData data = new TestData("matmul " + dtype + " " + transposeA + " " + transposeB);
      // {batch (-1: rank 2), m, k, n}
      List<int[]> cases = new ArrayList<>(List.of(
          new int[] {-1, 1, 1, 1}, new int[] {-1, 2, 3, 4}, new int[] {-1, 4, 5, 1}, new int[] {-1, 0, 3, 2},
          new int[] {-1, 2, 0, 3}, new int[] {-1, 2, 3, 0}, new int[] {1, 3, 2, 2}, new int[] {3, 2, 4, 3},
          new int[] {0, 2, 2, 2}, new int[] {2, 3, 0, 2}));
      for (int i = 0; i < 8; i++) {
        cases.add(new int[] {data.nextInt(-1, 3), data.nextInt(1, 6), data.nextInt(1, 6), data.nextInt(1, 6)});
      }
      for (int[] c : cases) {
        Shape sa = matrixShape(c[0], transposeA ? c[2] : c[1], transposeA ? c[1] : c[2]);
        Shape sb = matrixShape(c[0], transposeB ? c[3] : c[2], transposeB ? c[2] : c[3]);
        HostArray a = data.uniform(sa, dtype, -2, 2);
        HostArray b = data.uniform(sb, dtype, -2, 2);
        check(data, "MATMUL", Tolerance.accumulating(dtype),
            (be, in) -> be.matmul(be.unary(Op.ABS, in[0]), be.unary(Op.ABS, in[1]), transposeA, transposeB),
            (be, in) -> be.matmul(in[0], in[1], transposeA, transposeB), a, b);
      }
    }

    private Shape matrixShape(int batch, int rows, int cols) {
      return batch < 0 ? Shape.of(rows, cols) : Shape.of(batch, rows, cols);
    }

    /** Symmetric positive-definite matrices M Mᵀ + n I over the given leading axes. */
    private HostArray spd(TestData data, int[] batch, int n, DType dtype) {
      int[] dims = Arrays.copyOf(batch, batch.length + 2);
      dims[batch.length] = n;
      dims[batch.length + 1] = n;
      Shape shape = Shape.of(dims);
      double[] values = new double[shape.sizeAsInt()];
      for (int base = 0; base < values.length; base += n * n) {
        double[] m = new double[n * n];
        for (int i = 0; i < m.length; i++) {
          m[i] = 2 * data.random().nextDouble() - 1;
        }
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            double sum = i == j ? n : 0;
            for (int p = 0; p < n; p++) {
              sum += m[i * n + p] * m[j * n + p];
            }
            values[base + i * n + j] = sum;
          }
        }
      }
      return new HostArray(values, shape, dtype);
    }

    /** op(A) · X in float64 on the reference, for matrices flattened to [batch, rows, cols]. */
    private NdArray productOnReference(Shape shapeA, double[] a, Shape shapeX, double[] x, boolean transposeA,
        boolean transposeX) {
      int n = shapeA.dim(-1);
      Shape flatA = Shape.of((int) (shapeA.size() / Math.max(1, (long) shapeA.dim(-2) * n)), shapeA.dim(-2), n);
      Shape flatX = Shape.of(flatA.dim(0), shapeX.dim(-2), shapeX.dim(-1));
      NdArray left = reference.fromHost(a, flatA, DType.FLOAT64);
      NdArray right = reference.fromHost(x, flatX, DType.FLOAT64);
      return reference.matmul(left, right, transposeA, transposeX);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void choleskyMatchesReferenceAndReconstructs(DType dtype) {
      TestData data = new TestData("cholesky " + dtype);
      List<int[]> batches = List.of(new int[0], new int[] {1}, new int[] {3}, new int[] {2, 2});
      for (int[] batch : batches) {
        for (int n : new int[] {1, 2, 3, 5}) {
          HostArray a = spd(data, batch, n, dtype);
          NdArray l = check(data, "CHOLESKY", Tolerance.linearAlgebra(dtype),
              normwise((b, in) -> b.cholesky(in[0])), (b, in) -> b.cholesky(in[0]), a);
          double[] factor = backend.toDoubles(l);
          String what = data.where("CHOLESKY of " + a);
          for (int base = 0; base < factor.length; base += n * n) {
            for (int i = 0; i < n; i++) {
              for (int j = i + 1; j < n; j++) {
                assertThat(Math.abs(factor[base + i * n + j]))
                    .as("%s: element (%d, %d) above the diagonal", what, i, j).isEqualTo(0.0);
              }
            }
          }
          NdArray product = productOnReference(a.shape(), factor, a.shape(), factor, false, true);
          double[] scale = new double[a.data().length];
          Arrays.fill(scale, Arrays.stream(a.data()).map(Math::abs).max().orElse(0));
          assertValues(what + ": L Lᵀ = A", a.shape(), reference.toDoubles(product), a.data(),
              Tolerance.linearAlgebra(dtype), scale);
        }
      }
      HostArray empty = new HostArray(new double[0], Shape.of(0, 3, 3), dtype);
      check(data, "CHOLESKY of an empty batch", Tolerance.exact(), (b, in) -> b.cholesky(in[0]), empty);
    }

    /** A well-conditioned triangular matrix: diagonal ±[1, 2], the rest of its triangle small. */
    private HostArray triangular(TestData data, int[] batch, int n, boolean lower, DType dtype) {
      int[] dims = Arrays.copyOf(batch, batch.length + 2);
      dims[batch.length] = n;
      dims[batch.length + 1] = n;
      Shape shape = Shape.of(dims);
      double[] values = new double[shape.sizeAsInt()];
      for (int base = 0; base < values.length; base += n * n) {
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            boolean inside = lower ? j <= i : j >= i;
            double magnitude = i == j ? 1 + data.random().nextDouble() : (2 * data.random().nextDouble() - 1) / n;
            double value = i == j && data.nextBoolean() ? -magnitude : magnitude;
            values[base + i * n + j] = inside ? value : 0;
          }
        }
      }
      return new HostArray(values, shape, dtype);
    }

    @ParameterizedTest(name = "{0}, lower {1}, transposeA {2}")
    @MethodSource("dtypesAndFlags")
    void triangularSolveMatchesReferenceAndReconstructs(DType dtype, boolean lower, boolean transposeA) {
      TestData data = new TestData("triangularSolve " + dtype + " " + lower + " " + transposeA);
      // {n, k} per leading axes
      record Case(int[] batch, int n, int k) {}
      for (Case c : List.of(new Case(new int[0], 1, 1), new Case(new int[0], 4, 3), new Case(new int[] {3}, 2, 1),
          new Case(new int[] {1}, 4, 2), new Case(new int[] {2, 2}, 3, 2), new Case(new int[] {3}, 2, 0),
          new Case(new int[] {0}, 3, 2), new Case(new int[] {2}, 5, 4))) {
        HostArray a = triangular(data, c.batch(), c.n(), lower, dtype);
        int[] dims = Arrays.copyOf(c.batch(), c.batch().length + 2);
        dims[c.batch().length] = c.n();
        dims[c.batch().length + 1] = c.k();
        HostArray b = data.uniform(Shape.of(dims), dtype, -2, 2);
        NdArray x = check(data, "TRIANGULAR_SOLVE", Tolerance.linearAlgebra(dtype),
            normwise((be, in) -> be.triangularSolve(in[0], in[1], lower, transposeA)),
            (be, in) -> be.triangularSolve(in[0], in[1], lower, transposeA), a, b);
        double[] solution = backend.toDoubles(x);
        NdArray product = productOnReference(a.shape(), a.data(), b.shape(), solution, transposeA, false);
        double[] scale = new double[solution.length];
        Arrays.fill(scale, Arrays.stream(b.data()).map(Math::abs).max().orElse(0));
        assertValues(data.where("TRIANGULAR_SOLVE of " + a + ", " + b + ": op(A) X = B"), b.shape(),
            reference.toDoubles(product), b.data(), Tolerance.linearAlgebra(dtype), scale);
      }
    }
  }

  // ---- movement

  /** RESHAPE, PERMUTE, SLICE, CONCAT, BROADCAST, GATHER and SCATTER_ADD against the reference. */
  @Nested
  class Movement {
    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeKeepsRowMajorOrder(DType dtype) {
      TestData data = new TestData("reshape " + dtype);
      for (Shape shape : data.shapes(10)) {
        HostArray x = data.uniform(shape, dtype, -5, 5);
        Shape target = data.reshapeOf(shape);
        check(data, "RESHAPE to " + target, Tolerance.exact(), (b, in) -> b.reshape(in[0], target), x);
      }
      HostArray scalar = TestData.values(Shape.scalar(), dtype, 3);
      check(data, "RESHAPE a scalar to [1, 1]", Tolerance.exact(), (b, in) -> b.reshape(in[0], Shape.of(1, 1)), scalar);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void permuteReordersAxes(DType dtype) {
      TestData data = new TestData("permute " + dtype);
      for (Shape shape : data.shapes(10)) {
        HostArray x = data.uniform(shape, dtype, -5, 5);
        int[] permutation = data.permutation(shape.rank());
        check(data, "PERMUTE " + Arrays.toString(permutation), Tolerance.exact(),
            (b, in) -> b.permute(in[0], permutation), x);
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sliceTakesBlocks(DType dtype) {
      TestData data = new TestData("slice " + dtype);
      for (Shape shape : data.shapes(10)) {
        HostArray x = data.uniform(shape, dtype, -5, 5);
        for (int repeat = 0; repeat < 3; repeat++) {
          int[] start = new int[shape.rank()];
          int[] end = new int[shape.rank()];
          for (int axis = 0; axis < shape.rank(); axis++) {
            start[axis] = data.nextInt(0, shape.dim(axis));
            end[axis] = data.nextInt(start[axis], shape.dim(axis));
          }
          check(data, "SLICE " + Arrays.toString(start) + " to " + Arrays.toString(end), Tolerance.exact(),
              (b, in) -> b.slice(in[0], start, end), x);
        }
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void concatJoinsPartsAlongEveryAxis(DType dtype) {
      TestData data = new TestData("concat " + dtype);
      for (int repeat = 0; repeat < 6; repeat++) {
        Shape base = data.shape(1, 3);
        for (int axis = 0; axis < base.rank(); axis++) {
          int parts = data.nextInt(1, 4);
          HostArray[] inputs = new HostArray[parts];
          for (int p = 0; p < parts; p++) {
            inputs[p] = data.uniform(base.withDim(axis, data.nextInt(0, 3)), dtype, -5, 5);
          }
          int named = data.nextBoolean() ? axis : axis - base.rank();
          check(data, "CONCAT of " + parts + " parts along axis " + named, Tolerance.exact(),
              (b, in) -> b.concat(List.of(in), named), inputs);
        }
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void broadcastToRepeatsSizeOneAndNewAxes(DType dtype) {
      TestData data = new TestData("broadcastTo " + dtype);
      List<Shape[]> cases = new ArrayList<>(List.of(
          new Shape[] {Shape.scalar(), Shape.of(2, 3)}, new Shape[] {Shape.of(3), Shape.of(2, 3)},
          new Shape[] {Shape.of(1), Shape.of(0)}, new Shape[] {Shape.of(2, 1), Shape.of(4, 2, 3)},
          new Shape[] {Shape.of(2, 3), Shape.of(2, 3)},
          // whole copies of the input, each element repeated over a block, and neither
          new Shape[] {Shape.of(3, 2), Shape.of(4, 3, 2)}, new Shape[] {Shape.of(1, 3, 2), Shape.of(4, 3, 2)},
          new Shape[] {Shape.of(3, 1, 1), Shape.of(3, 2, 2)}, new Shape[] {Shape.of(4, 1), Shape.of(1, 4, 5)},
          new Shape[] {Shape.of(1, 3, 1), Shape.of(2, 3, 4)}));
      for (int i = 0; i < 10; i++) {
        Shape target = data.shape(0, 4);
        cases.add(new Shape[] {data.broadcastsTo(target), target});
      }
      for (Shape[] c : cases) {
        HostArray x = data.uniform(c[0], dtype, -5, 5);
        Shape target = c[1];
        check(data, "BROADCAST to " + target, Tolerance.exact(), (b, in) -> b.broadcastTo(in[0], target), x);
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherTakesRowsWithRepeats(DType dtype) {
      TestData data = new TestData("gather " + dtype);
      for (int repeat = 0; repeat < 12; repeat++) {
        Shape shape = data.shape(0, 2);
        int[] dims = new int[shape.rank() + 1];
        dims[0] = data.nextInt(1, 5);
        System.arraycopy(shape.dims(), 0, dims, 1, shape.rank());
        HostArray x = data.uniform(Shape.of(dims), dtype, -5, 5);
        int[] rows = data.indicesWithRepeats(data.nextInt(0, 6), dims[0]);
        check(data, "GATHER rows " + Arrays.toString(rows), Tolerance.exact(), (b, in) -> b.gather(in[0], rows), x);
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scatterAddAccumulatesRepeatedIndices(DType dtype) {
      TestData data = new TestData("scatterAdd " + dtype);
      for (int repeat = 0; repeat < 12; repeat++) {
        int rows = repeat == 0 ? 0 : data.nextInt(1, 5);
        int count = rows == 0 ? 0 : data.nextInt(0, 6);
        Shape rest = data.shape(0, 2);
        int[] dims = new int[rest.rank() + 1];
        dims[0] = count;
        System.arraycopy(rest.dims(), 0, dims, 1, rest.rank());
        HostArray updates = data.uniform(Shape.of(dims), dtype, -5, 5);
        int[] indices = data.indicesWithRepeats(count, Math.max(rows, 1));
        check(data, "SCATTER_ADD into " + rows + " rows at " + Arrays.toString(indices), Tolerance.accumulating(dtype),
            (b, in) -> b.scatterAdd(b.unary(Op.ABS, in[0]), indices, rows),
            (b, in) -> b.scatterAdd(in[0], indices, rows), updates);
      }
    }

    /** Windows with every feature: strides, padding, dilation, unequal sides, one-pixel kernels, overlap. */
    private static final ConvGeometry[] WINDOWS = {
      ConvGeometry.square(4, 2, 1),
      ConvGeometry.square(3, 1, 1),
      ConvGeometry.square(1, 1, 0),
      new ConvGeometry(2, 3, 1, 2, 0, 2, 2, 1),
      new ConvGeometry(3, 2, 3, 1, 2, 1, 1, 3),
    };

    @ParameterizedTest
    @EnumSource(DType.class)
    void unfoldAndFoldFollowTheirDefinitionForEveryWindow(DType dtype) {
      TestData data = new TestData("unfold/fold " + dtype);
      for (ConvGeometry window : WINDOWS) {
        for (int n : new int[] {0, 1, 3}) {
          Shape images = Shape.of(n, data.nextInt(1, 4), data.nextInt(5, 9), data.nextInt(5, 9));
          HostArray x = data.uniform(images, dtype, -5, 5);
          check(data, "UNFOLD of " + images + " by " + window, Tolerance.exact(), (b, in) -> b.unfold(in[0], window), x);
          Shape patchShape = Shape.of(n, window.outputHeight(images.dim(2)) * window.outputWidth(images.dim(3)),
              images.dim(1) * window.taps());
          HostArray patches = data.uniform(patchShape, dtype, -5, 5);
          check(data, "FOLD of " + patchShape + " into " + images + " by " + window, Tolerance.accumulating(dtype),
              (b, in) -> b.fold(b.unary(Op.ABS, in[0]), images, window), (b, in) -> b.fold(in[0], images, window),
              patches);
        }
      }
    }
  }

  // ---- random numbers

  /** The Philox stream, bit for bit (uniform) or to the last bits of libm (normal), and its moments. */
  @Nested
  class RandomNumbers {
    private final long[] seeds = {0, 1, -1, 0x0123456789ABCDEFL, Long.MIN_VALUE};
    private final long[] offsets = {0, 1, 3, 6, 17, (1L << 34) + 3, (1L << 40) + 2};
    private final List<Shape> shapes =
        List.of(Shape.scalar(), Shape.of(0), Shape.of(7), Shape.of(3, 5), Shape.of(2, 2, 3));

    @ParameterizedTest
    @EnumSource(DType.class)
    void uniformIsThePhiloxStream(DType dtype) {
      TestData data = new TestData("randomUniform " + dtype);
      for (long seed : seeds) {
        for (long offset : offsets) {
          for (Shape shape : shapes) {
            double[] expected = new double[shape.sizeAsInt()];
            if (dtype == DType.FLOAT32) {
              float[] floats = new float[expected.length];
              Philox.uniformFloats(seed, offset, floats);
              for (int i = 0; i < floats.length; i++) {
                expected[i] = floats[i];
              }
            } else {
              Philox.uniformDoubles(seed, offset, expected);
            }
            NdArray u = backend.randomUniform(seed, offset, shape, dtype);
            String what = data.where("randomUniform(seed " + seed + ", offset " + offset + ", " + shape + ")");
            assertThat(u.shape()).as(what).isEqualTo(shape);
            assertThat(u.dtype()).as(what).isEqualTo(dtype);
            assertValues(what, shape, backend.toDoubles(u), expected, Tolerance.exact(), null);
          }
        }
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void normalIsThePhiloxStream(DType dtype) {
      TestData data = new TestData("randomNormal " + dtype);
      for (long seed : seeds) {
        for (long offset : offsets) {
          for (Shape shape : shapes) {
            double[] expected = new double[shape.sizeAsInt()];
            Philox.normals(seed, offset, expected);
            for (int i = 0; i < expected.length; i++) {
              expected[i] = dtype == DType.FLOAT32 ? (float) expected[i] : expected[i];
            }
            NdArray z = backend.randomNormal(seed, offset, shape, dtype);
            String what = data.where("randomNormal(seed " + seed + ", offset " + offset + ", " + shape + ")");
            assertThat(z.shape()).as(what).isEqualTo(shape);
            assertThat(z.dtype()).as(what).isEqualTo(dtype);
            assertValues(what, shape, backend.toDoubles(z), expected, Tolerance.normalStream(dtype), null);
          }
        }
      }
    }

    /** |estimate − truth| must stay within 5 standard errors. */
    private void assertWithinFiveStandardErrors(String what, double estimate, double truth, double standardError) {
      assertThat(estimate).as("%s: %s (truth %s, standard error %s)", what, estimate, truth, standardError)
          .isBetween(truth - 5 * standardError, truth + 5 * standardError);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void uniformHasTheMomentsOfUniform01(DType dtype) {
      TestData data = new TestData("uniform moments " + dtype);
      int n = 40_000;
      double[] u = backend.toDoubles(backend.randomUniform(7, 11, Shape.of(n), dtype));
      double mean = Arrays.stream(u).average().orElseThrow();
      double variance = Arrays.stream(u).map(v -> (v - 0.5) * (v - 0.5)).average().orElseThrow();
      assertThat(Arrays.stream(u).filter(v -> !(v >= 0 && v < 1)).count())
          .as(data.where("uniform numbers outside [0, 1)")).isZero();
      assertWithinFiveStandardErrors(data.where("mean of " + n + " uniforms"), mean, 0.5, Math.sqrt(1.0 / 12 / n));
      // Var((U - 1/2)^2) = 1/80 - 1/144 = 1/180.
      assertWithinFiveStandardErrors(data.where("variance of " + n + " uniforms"), variance, 1.0 / 12,
          Math.sqrt(1.0 / 180 / n));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void normalHasTheMomentsOfAStandardNormal(DType dtype) {
      TestData data = new TestData("normal moments " + dtype);
      int n = 40_000;
      double[] z = backend.toDoubles(backend.randomNormal(13, 5, Shape.of(n), dtype));
      double mean = Arrays.stream(z).average().orElseThrow();
      double variance = Arrays.stream(z).map(v -> v * v).average().orElseThrow();
      double withinOneSigma = Arrays.stream(z).filter(v -> Math.abs(v) < 1).count() / (double) n;
      double p = 0.6826894921370859;
      assertWithinFiveStandardErrors(data.where("mean of " + n + " normals"), mean, 0, Math.sqrt(1.0 / n));
      assertWithinFiveStandardErrors(data.where("variance of " + n + " normals"), variance, 1, Math.sqrt(2.0 / n));
      assertWithinFiveStandardErrors(data.where("fraction of " + n + " normals within 1 sigma"), withinOneSigma, p,
          Math.sqrt(p * (1 - p) / n));
    }
  }

  // ---- errors

  /** Bad shapes, dtypes, axes and indices fail with IllegalArgumentException and useful messages. */
  @Nested
  class Errors {
    static Stream<Op> binaryOps() {
      return Arrays.stream(Op.values()).filter(op -> op.kind() == Op.Kind.BINARY || op.kind() == Op.Kind.COMPARE);
    }

    private NdArray zeros(DType dtype, int... dims) {
      return backend.full(Shape.of(dims), dtype, 0);
    }

    private NdArray zeros(int... dims) {
      return zeros(DType.FLOAT64, dims);
    }

    @ParameterizedTest
    @MethodSource("binaryOps")
    void binaryRejectsShapesThatDoNotBroadcastNamingBoth(Op op) {
      assertRejected(() -> backend.binary(op, zeros(2, 3), zeros(4)), "[2, 3]", "[4]");
      assertRejected(() -> backend.binary(op, zeros(5, 1, 2), zeros(3, 3)), "[5, 1, 2]", "[3, 3]");
    }

    @ParameterizedTest
    @MethodSource("binaryOps")
    void binaryRejectsMixedDtypesNamingBoth(Op op) {
      assertRejected(() -> backend.binary(op, zeros(DType.FLOAT32, 2), zeros(DType.FLOAT64, 2)), "FLOAT32", "FLOAT64");
    }

    @Test
    void whereRejectsMismatchedShapesAndDtypes() {
      assertRejected(() -> backend.where(zeros(2, 3), zeros(2, 3), zeros(4)), "[2, 3]", "[4]");
      assertRejected(() -> backend.where(zeros(4), zeros(2, 3), zeros(2, 3)), "[4]", "[2, 3]");
      assertRejected(() -> backend.where(zeros(DType.FLOAT64, 2), zeros(DType.FLOAT32, 2), zeros(DType.FLOAT64, 2)),
          "FLOAT32", "FLOAT64");
      assertRejected(() -> backend.where(zeros(DType.FLOAT32, 2), zeros(DType.FLOAT64, 2), zeros(DType.FLOAT64, 2)),
          "FLOAT32", "FLOAT64");
    }

    @Test
    void matmulRejectsBadShapesAndDtypes() {
      assertRejected(() -> backend.matmul(zeros(2, 3), zeros(4, 5), false, false), "[2, 3]", "[4, 5]");
      assertRejected(() -> backend.matmul(zeros(2, 3), zeros(2, 3), false, false), "[2, 3]");
      assertRejected(() -> backend.matmul(zeros(2, 3), zeros(3), false, false), "[2, 3]", "[3]");
      assertRejected(() -> backend.matmul(zeros(2, 3, 4), zeros(3, 4, 5), false, false), "[2, 3, 4]", "[3, 4, 5]");
      assertRejected(() -> backend.matmul(zeros(2, 3, 4), zeros(4, 5), false, false), "[2, 3, 4]", "[4, 5]");
      assertRejected(() -> backend.matmul(zeros(DType.FLOAT32, 2, 2), zeros(DType.FLOAT64, 2, 2), false, false),
          "FLOAT32", "FLOAT64");
    }

    @Test
    void concatRejectsBadPartsAndAxes() {
      assertRejected(() -> backend.concat(List.of(zeros(2, 3), zeros(3, 3)), 1), "[2, 3]", "[3, 3]");
      assertRejected(() -> backend.concat(List.of(zeros(2, 3), zeros(2)), 0), "[2, 3]", "[2]");
      assertRejected(() -> backend.concat(List.of(zeros(DType.FLOAT32, 2), zeros(DType.FLOAT64, 2)), 0),
          "FLOAT32", "FLOAT64");
      assertRejected(() -> backend.concat(List.of(zeros(2, 3), zeros(2, 3)), 2), "[2, 3]");
      assertRejected(() -> backend.concat(List.of(zeros(2, 3), zeros(2, 3)), -3), "[2, 3]");
      assertThatIllegalArgumentException().isThrownBy(() -> backend.concat(List.of(), 0));
    }

    @Test
    void movementRejectsIncompatibleShapes() {
      assertRejected(() -> backend.reshape(zeros(2, 3), Shape.of(4)), "[2, 3]", "[4]");
      assertRejected(() -> backend.broadcastTo(zeros(3), Shape.of(2, 4)), "[3]", "[2, 4]");
      assertRejected(() -> backend.broadcastTo(zeros(2, 3), Shape.of(3)), "[2, 3]", "[3]");
      assertRejected(() -> backend.fromHost(new double[5], Shape.of(2, 3), DType.FLOAT64), "[2, 3]");
      assertRejected(() -> backend.fromHost(new float[7], Shape.of(2, 3)), "[2, 3]");
    }

    @Test
    void unfoldAndFoldRejectWhatIsNotAnImageOrItsPatches() {
      ConvGeometry window = ConvGeometry.square(3, 1, 0);
      assertRejected(() -> backend.unfold(zeros(2, 5, 5), window), "[2, 5, 5]");
      assertRejected(() -> backend.unfold(zeros(1, 1, 2, 5), window), "2", "kernel 3x3");
      assertRejected(() -> backend.fold(zeros(1, 9, 8), Shape.of(1, 1, 5, 5), window), "[1, 9, 8]", "[1, 9, 9]");
      assertRejected(() -> backend.fold(zeros(1, 9, 9), Shape.of(5, 5), window), "[5, 5]");
    }

    @Test
    void reduceRejectsAxesOutOfRange() {
      for (int[] axes : List.of(new int[] {2}, new int[] {-3}, new int[] {0, 5})) {
        assertRejected(() -> backend.reduce(Op.SUM, zeros(2, 3), axes, false), "[2, 3]");
        assertRejected(() -> backend.reduce(Op.REDUCE_MAX, zeros(2, 3), axes, true), "[2, 3]");
      }
      assertRejected(() -> backend.reduce(Op.SUM, zeros(), new int[] {0}, false), "[]");
    }

    @Test
    void permuteRejectsWhatIsNotAPermutation() {
      for (int[] permutation : List.of(new int[] {0, 0}, new int[] {0}, new int[] {0, 1, 2}, new int[] {1, 2},
          new int[] {-1, 0})) {
        assertRejected(() -> backend.permute(zeros(2, 3), permutation), "[2, 3]", Arrays.toString(permutation));
      }
    }

    @Test
    void sliceRejectsRangesOutsideTheShape() {
      assertRejected(() -> backend.slice(zeros(2, 3), new int[] {0, 0}, new int[] {2, 4}), "[2, 3]");
      assertRejected(() -> backend.slice(zeros(2, 3), new int[] {-1, 0}, new int[] {1, 3}), "[2, 3]");
      assertRejected(() -> backend.slice(zeros(2, 3), new int[] {2, 0}, new int[] {1, 3}), "[2, 3]");
      assertRejected(() -> backend.slice(zeros(2, 3), new int[] {0}, new int[] {1}), "[2, 3]");
    }

    @Test
    void gatherAndScatterAddRejectIndicesOutOfRange() {
      assertRejected(() -> backend.gather(zeros(3, 2), new int[] {0, 3}), "3");
      assertRejected(() -> backend.gather(zeros(3, 2), new int[] {-1}), "-1");
      assertThatIllegalArgumentException().isThrownBy(() -> backend.gather(zeros(), new int[] {0}));
      assertRejected(() -> backend.scatterAdd(zeros(2, 2), new int[] {0, 4}, 4), "4");
      assertRejected(() -> backend.scatterAdd(zeros(2, 2), new int[] {0, -2}, 4), "-2");
      assertRejected(() -> backend.scatterAdd(zeros(2, 2), new int[] {0}, 4), "[2, 2]");
    }

    @Test
    void linearAlgebraRejectsBadShapes() {
      assertRejected(() -> backend.cholesky(zeros(3, 4)), "[3, 4]");
      assertRejected(() -> backend.cholesky(zeros(3)), "[3]");
      assertRejected(() -> backend.triangularSolve(zeros(3, 3), zeros(4, 2), true, false), "[3, 3]", "[4, 2]");
      assertRejected(() -> backend.triangularSolve(zeros(2, 3, 3), zeros(3, 3, 1), true, false),
          "[2, 3, 3]", "[3, 3, 1]");
      assertRejected(() -> backend.triangularSolve(zeros(3, 4), zeros(3, 1), true, false), "[3, 4]");
      assertRejected(() -> backend.triangularSolve(zeros(DType.FLOAT32, 2, 2), zeros(DType.FLOAT64, 2, 1), true, false),
          "FLOAT32", "FLOAT64");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void choleskyNamesTheBatchIndexOfAMatrixThatIsNotPositiveDefinite(DType dtype) {
      double[] values = new double[7 * 9];
      for (int m = 0; m < 7; m++) {
        for (int i = 0; i < 3; i++) {
          values[m * 9 + i * 3 + i] = m == 5 && i == 1 ? -1 : 1 + i;
        }
      }
      NdArray batch = backend.fromHost(values, Shape.of(7, 3, 3), dtype);
      assertRejected(() -> backend.cholesky(batch), "batch index 5");
      NdArray single = backend.fromHost(new double[] {1, 2, 2, 1}, Shape.of(2, 2), dtype);
      assertRejected(() -> backend.cholesky(single), "batch index 0");
      NdArray withNaN = backend.fromHost(new double[] {1, 0, 0, Double.NaN}, Shape.of(1, 2, 2), dtype);
      assertRejected(() -> backend.cholesky(withNaN), "batch index 0");
    }

    @Test
    void opsOfTheWrongKindAreRejected() {
      NdArray x = zeros(2);
      assertThatIllegalArgumentException().isThrownBy(() -> backend.unary(Op.ADD, x));
      assertThatIllegalArgumentException().isThrownBy(() -> backend.binary(Op.EXP, x, x));
      assertThatIllegalArgumentException().isThrownBy(() -> backend.binary(Op.WHERE, x, x));
      assertThatIllegalArgumentException().isThrownBy(() -> backend.reduce(Op.ADD, x, new int[0], false));
    }

    @Test
    void freedArraysCannotBeUsed() {
      NdArray x = zeros(2, 2);
      x.close();
      assertThat(x.isClosed()).isTrue();
      assertThatThrownBy(() -> backend.toDoubles(x)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> backend.unary(Op.EXP, x)).isInstanceOf(IllegalStateException.class);
    }
  }

  // ---- memory

  /** Scopes free what they made, keep moves arrays outwards, scopes nest and belong to their thread. */
  @Nested
  class Memory {
    private NdArray small() {
      return backend.full(Shape.of(2), DType.FLOAT32, 1);
    }

    @Test
    void closingAScopeFreesEveryArrayItMade() {
      long before = backend.liveArrays();
      List<NdArray> made = new ArrayList<>();
      MemoryScope scope = backend.openScope();
      try (scope) {
        NdArray x = backend.fromHost(new double[] {1, 2, 3}, Shape.of(3), DType.FLOAT64);
        made.add(x);
        made.add(backend.unary(Op.EXP, x));
        made.add(backend.binary(Op.ADD, x, x));
        made.add(backend.full(Shape.scalar(), DType.FLOAT64, 2));
        made.add(backend.binary(Op.MUL, x, made.get(made.size() - 1)));
        made.add(backend.reduce(Op.SUM, x, new int[0], false));
        made.add(backend.reshape(x, Shape.of(3, 1)));
        made.add(backend.cast(x, DType.FLOAT32));
        made.add(backend.gather(x, new int[] {0, 0}));
        made.add(backend.randomNormal(1, 0, Shape.of(4), DType.FLOAT32));
        made.add(backend.concat(List.of(x, x), 0));
        assertThat(scope.size()).as("arrays owned by the open scope").isEqualTo(made.size());
        assertThat(backend.liveArrays()).as("live arrays inside the scope").isEqualTo(before + made.size());
        assertThat(made).noneMatch(NdArray::isClosed);
      }
      assertThat(made).as("arrays after their scope closed").allMatch(NdArray::isClosed);
      assertThat(backend.liveArrays()).as("live arrays after the scope closed").isEqualTo(before);
      assertThatThrownBy(() -> backend.toDoubles(made.get(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keepMovesAnArrayToTheEnclosingScope() {
      long before = backend.liveArrays();
      NdArray kept;
      NdArray dropped;
      NdArray outerOwn;
      try (MemoryScope outer = backend.openScope()) {
        outerOwn = small();
        try (MemoryScope inner = backend.openScope()) {
          kept = inner.keep(small());
          dropped = small();
          assertThat(inner.size()).as("inner scope after keep").isEqualTo(1);
          assertThat(outer.size()).as("outer scope after keep").isEqualTo(2);
        }
        assertThat(dropped.isClosed()).as("array left in the inner scope").isTrue();
        assertThat(kept.isClosed()).as("kept array after the inner scope closed").isFalse();
        assertThat(backend.toDoubles(kept)).containsExactly(1, 1);
        assertThat(backend.liveArrays()).isEqualTo(before + 2);
      }
      assertThat(kept.isClosed()).as("kept array after the outer scope closed").isTrue();
      assertThat(outerOwn.isClosed()).isTrue();
      assertThat(backend.liveArrays()).isEqualTo(before);
    }

    @Test
    void nestedScopesFreeOnlyTheirOwnArrays() {
      long before = backend.liveArrays();
      try (MemoryScope level1 = backend.openScope()) {
        NdArray a = small();
        try (MemoryScope level2 = backend.openScope()) {
          NdArray b = small();
          NdArray c;
          try (MemoryScope level3 = backend.openScope()) {
            c = small();
            assertThat(level3.size()).isEqualTo(1);
          }
          assertThat(c.isClosed()).as("level-3 array after level 3 closed").isTrue();
          assertThat(b.isClosed()).as("level-2 array after level 3 closed").isFalse();
          assertThat(level2.size()).isEqualTo(1);
          assertThat(backend.liveArrays()).isEqualTo(before + 2);
          level2.close();
          assertThat(b.isClosed()).isTrue();
        }
        assertThat(a.isClosed()).as("level-1 array after levels 2 and 3 closed").isFalse();
        assertThat(level1.size()).isEqualTo(1);
        NdArray d = small();
        assertThat(level1.size()).as("a closed inner scope no longer collects arrays").isEqualTo(2);
        assertThat(d.isClosed()).isFalse();
      }
      assertThat(backend.liveArrays()).isEqualTo(before);
    }

    @Test
    void closingAnArrayEarlyFreesItOnce() {
      long before = backend.liveArrays();
      try (MemoryScope scope = backend.openScope()) {
        NdArray x = small();
        NdArray y = small();
        x.close();
        x.close();
        assertThat(x.isClosed()).isTrue();
        assertThat(y.isClosed()).isFalse();
        assertThat(scope.size()).isEqualTo(1);
        assertThat(backend.liveArrays()).isEqualTo(before + 1);
      }
      assertThat(backend.liveArrays()).isEqualTo(before);
    }

    @Test
    void keepInTheOutermostScopeHandsTheArrayToTheCaller() throws Exception {
      long before = backend.liveArrays();
      onNewThread(() -> {
        NdArray x;
        try (MemoryScope only = backend.openScope()) {
          x = only.keep(small());
          assertThat(only.size()).isZero();
        }
        assertThat(x.isClosed()).as("array kept out of the outermost scope").isFalse();
        assertThat(backend.liveArrays()).isEqualTo(before + 1);
        x.close();
        assertThat(backend.liveArrays()).isEqualTo(before);
        return null;
      });
    }

    @Test
    void scopesBelongToTheThreadThatOpenedThem() throws Exception {
      long before = backend.liveArrays();
      NdArray fromOtherThread;
      try (MemoryScope scope = backend.openScope()) {
        fromOtherThread = onNewThread(this::small);
        assertThat(scope.size()).as("this thread's scope after another thread made an array").isZero();
      }
      assertThat(fromOtherThread.isClosed()).as("an array made on a thread with no open scope").isFalse();
      assertThat(backend.liveArrays()).isEqualTo(before + 1);
      fromOtherThread.close();
      assertThat(backend.liveArrays()).isEqualTo(before);
    }

    private <T> T onNewThread(Callable<T> task) throws Exception {
      ExecutorService executor = Executors.newSingleThreadExecutor();
      try {
        return executor.submit(task).get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw (Exception) e.getCause();
      } finally {
        executor.shutdown();
      }
    }
  }

  // ---- large shapes

  /**
   * The tier that reaches what a backend does only for large arrays (threads, blocked loops, vector
   * widths, size-gated paths): operands of at least 2^16 elements whose sizes are odd primes, so no
   * loop or chunking divides them evenly, read in every layout a movement op can leave behind and
   * broadcast in every pattern, for every primitive, in both dtypes.
   */
  @Nested
  class LargeShapes {
    private static final int ROWS = 257;
    private static final int COLUMNS = 263;
    private static final Shape MATRIX = Shape.of(ROWS, COLUMNS);

    /** How an operand of shape [ROWS, COLUMNS] is laid out when an op reads it, and what it is made from. */
    enum Layout {
      /** As it came from the host. */
      CONTIGUOUS(Shape.of(ROWS, COLUMNS)),
      /** The transpose of a [COLUMNS, ROWS] array. */
      TRANSPOSED(Shape.of(COLUMNS, ROWS)),
      /** The inner block of a larger array. */
      SLICED(Shape.of(ROWS + 3, COLUMNS + 5)),
      /** One row repeated ROWS times. */
      BROADCAST_ROW(Shape.of(1, COLUMNS));

      private final Shape source;

      Layout(Shape source) {
        this.source = source;
      }

      NdArray apply(Backend b, NdArray x) {
        return switch (this) {
          case CONTIGUOUS -> x;
          case TRANSPOSED -> b.permute(x, new int[] {1, 0});
          case SLICED -> b.slice(x, new int[] {1, 2}, new int[] {ROWS + 1, COLUMNS + 2});
          case BROADCAST_ROW -> b.broadcastTo(x, MATRIX);
        };
      }
    }

    /** Pairs of operand shapes with at least 2^16 elements in the result, broadcast every way. */
    private static final List<Shape[]> BROADCASTS = List.of(
        new Shape[] {Shape.of(ROWS, COLUMNS), Shape.of(COLUMNS)},
        new Shape[] {Shape.of(ROWS, COLUMNS), Shape.of(ROWS, 1)},
        new Shape[] {Shape.of(ROWS, 1), Shape.of(ROWS, COLUMNS)},
        new Shape[] {Shape.of(1, COLUMNS), Shape.of(ROWS, 1)},
        new Shape[] {Shape.of(ROWS, COLUMNS), Shape.scalar()},
        new Shape[] {Shape.scalar(), Shape.of(ROWS, COLUMNS)},
        new Shape[] {Shape.of(17, 61, 67), Shape.of(61, 1)},
        new Shape[] {Shape.of(17, 1, 67), Shape.of(61, 67)},
        new Shape[] {Shape.of(17, 61, 1), Shape.of(17, 1, 67)});

    static Stream<Arguments> unaryOps() {
      return opsWithDtypes(Op.Kind.UNARY);
    }

    static Stream<Arguments> binaryOps() {
      return opsWithDtypes(Op.Kind.BINARY, Op.Kind.COMPARE);
    }

    static Stream<Arguments> reduceOps() {
      return opsWithDtypes(Op.Kind.REDUCE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unaryOps")
    void unaryReadsEveryLayout(Op op, DType dtype) {
      TestData data = new TestData("large unary " + op + " " + dtype);
      for (Layout layout : Layout.values()) {
        HostArray x = unaryInput(op, data, layout.source, dtype);
        check(data, op + " of a " + layout + " operand", toleranceOf(op, dtype),
            (b, in) -> b.unary(op, layout.apply(b, in[0])), x);
      }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryOps")
    void binaryReadsEveryLayoutOnEitherSide(Op op, DType dtype) {
      TestData data = new TestData("large binary layouts " + op + " " + dtype);
      for (Layout layout : Layout.values()) {
        HostArray a = binaryInput(op, true, data, layout.source, dtype);
        HostArray b = binaryInput(op, false, data, MATRIX, dtype);
        check(data, op + " of a " + layout + " first operand", toleranceOf(op, dtype),
            (be, in) -> be.binary(op, layout.apply(be, in[0]), in[1]), a, b);
        HostArray c = binaryInput(op, true, data, MATRIX, dtype);
        HostArray d = binaryInput(op, false, data, layout.source, dtype);
        check(data, op + " of a " + layout + " second operand", toleranceOf(op, dtype),
            (be, in) -> be.binary(op, in[0], layout.apply(be, in[1])), c, d);
      }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryOps")
    void binaryBroadcastsEveryWay(Op op, DType dtype) {
      TestData data = new TestData("large binary broadcasts " + op + " " + dtype);
      for (Shape[] pair : BROADCASTS) {
        HostArray a = binaryInput(op, true, data, pair[0], dtype);
        HostArray b = binaryInput(op, false, data, pair[1], dtype);
        check(data, op + " " + pair[0] + " with " + pair[1], toleranceOf(op, dtype),
            (be, in) -> be.binary(op, in[0], in[1]), a, b);
      }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryOps")
    void aScalarOperandCoversLargeArraysOfEveryLayout(Op op, DType dtype) {
      TestData data = new TestData("large, scalar operand " + op + " " + dtype);
      double scalar = op == Op.POW ? 2 : op.kind() == Op.Kind.COMPARE ? 1 : 0.5;
      for (Layout layout : Layout.values()) {
        HostArray a = binaryInput(op, false, data, layout.source, dtype);
        for (boolean scalarFirst : new boolean[] {false, true}) {
          check(data, op + " of a " + layout + " array and " + scalar + (scalarFirst ? ", scalar first" : ""),
              toleranceOf(op, dtype), (b, in) -> withScalar(b, op, layout.apply(b, in[0]), scalar, scalarFirst), a);
        }
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void whereBroadcastsAndReadsEveryLayout(DType dtype) {
      TestData data = new TestData("large where " + dtype);
      for (Layout layout : Layout.values()) {
        HostArray condition = data.choices(layout.source, dtype, 0, 1, -2, 0);
        HostArray a = data.uniform(Shape.of(COLUMNS), dtype, -5, 5);
        HostArray b = data.uniform(Shape.of(ROWS, 1), dtype, -5, 5);
        check(data, "WHERE with a " + layout + " condition", Tolerance.exact(),
            (be, in) -> be.where(layout.apply(be, in[0]), in[1], in[2]), condition, a, b);
      }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("reduceOps")
    void reduceOverEachAxisOfEveryLayout(Op op, DType dtype) {
      TestData data = new TestData("large reduce " + op + " " + dtype);
      List<int[]> axesChoices = List.of(new int[0], new int[] {0}, new int[] {-1});
      for (Layout layout : Layout.values()) {
        HostArray x = data.uniform(layout.source, dtype, -5, 5);
        for (int[] axes : axesChoices) {
          boolean keepDims = axes.length == 1 && axes[0] == 0;
          reduceLike(data, op, dtype, op + " of a " + layout + " array over " + Arrays.toString(axes)
              + (keepDims ? ", keeping dims" : ""), x, b -> layout.apply(b.backend(), b.x()), axes, keepDims);
        }
      }
      HostArray cube = data.uniform(Shape.of(17, 61, 67), dtype, -5, 5);
      for (int[] axes : List.of(new int[] {0}, new int[] {1}, new int[] {2}, new int[] {0, 2}, new int[] {1, 2})) {
        reduceLike(data, op, dtype, op + " of [17, 61, 67] over " + Arrays.toString(axes), cube, BackendAndInput::x,
            axes, false);
      }
    }

    /** A backend and an input placed on it, for a layout to be applied to. */
    private record BackendAndInput(Backend backend, NdArray x) {}

    private void reduceLike(TestData data, Op op, DType dtype, String what, HostArray x,
        java.util.function.Function<BackendAndInput, NdArray> layout, int[] axes, boolean keepDims) {
      Computation reduce = (b, in) -> b.reduce(op, layout.apply(new BackendAndInput(b, in[0])), axes, keepDims);
      if (op == Op.SUM) {
        check(data, what, Tolerance.accumulating(dtype), (b, in) -> b.reduce(Op.SUM,
            b.unary(Op.ABS, layout.apply(new BackendAndInput(b, in[0]))), axes, keepDims), reduce, x);
      } else {
        check(data, what, Tolerance.exact(), reduce, x);
      }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulOfLargeOperandsInEveryLayout(DType dtype) {
      TestData data = new TestData("large matmul " + dtype);
      int m = 67;
      int k = 1031;
      int n = 71;
      for (boolean transposeA : new boolean[] {false, true}) {
        for (boolean transposeB : new boolean[] {false, true}) {
          HostArray a = data.uniform(transposeA ? Shape.of(k, m) : Shape.of(m, k), dtype, -2, 2);
          HostArray b = data.uniform(transposeB ? Shape.of(n, k) : Shape.of(k, n), dtype, -2, 2);
          check(data, "MATMUL [" + m + ", " + k + "] x [" + k + ", " + n + "], transposes " + transposeA + ", "
                  + transposeB, Tolerance.accumulating(dtype),
              (be, in) -> be.matmul(be.unary(Op.ABS, in[0]), be.unary(Op.ABS, in[1]), transposeA, transposeB),
              (be, in) -> be.matmul(in[0], in[1], transposeA, transposeB), a, b);
        }
      }
      HostArray a = data.uniform(Shape.of(k + 2, m + 4), dtype, -2, 2);
      HostArray b = data.uniform(Shape.of(n, k), dtype, -2, 2);
      Computation sliceAndPermute = (be, in) -> be.matmul(be.permute(be.slice(in[0], new int[] {1, 2},
          new int[] {k + 1, m + 2}), new int[] {1, 0}), be.permute(in[1], new int[] {1, 0}), false, false);
      check(data, "MATMUL of a transposed slice and a transposed array", Tolerance.accumulating(dtype),
          (be, in) -> be.matmul(be.unary(Op.ABS, be.permute(be.slice(in[0], new int[] {1, 2},
              new int[] {k + 1, m + 2}), new int[] {1, 0})), be.unary(Op.ABS, be.permute(in[1], new int[] {1, 0})),
              false, false), sliceAndPermute, a, b);
      HostArray batchA = data.uniform(Shape.of(3, 67, 331), dtype, -2, 2);
      HostArray batchB = data.uniform(Shape.of(3, 331, 71), dtype, -2, 2);
      check(data, "batched MATMUL [3, 67, 331] x [3, 331, 71]", Tolerance.accumulating(dtype),
          (be, in) -> be.matmul(be.unary(Op.ABS, in[0]), be.unary(Op.ABS, in[1]), false, false),
          (be, in) -> be.matmul(in[0], in[1], false, false), batchA, batchB);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void movementOfLargeArrays(DType dtype) {
      TestData data = new TestData("large movement " + dtype);
      HostArray cube = data.uniform(Shape.of(17, 61, 67), dtype, -5, 5);
      check(data, "PERMUTE [17, 61, 67] by (2, 0, 1)", Tolerance.exact(), (b, in) -> b.permute(in[0],
          new int[] {2, 0, 1}), cube);
      check(data, "SLICE of [17, 61, 67]", Tolerance.exact(), (b, in) -> b.slice(in[0], new int[] {1, 3, 0},
          new int[] {16, 60, 66}), cube);
      check(data, "RESHAPE of a transposed array", Tolerance.exact(), (b, in) -> b.reshape(
          b.permute(in[0], new int[] {1, 0, 2}), Shape.of(61, 17 * 67)), cube);
      HostArray other = data.uniform(Shape.of(17, 29, 67), dtype, -5, 5);
      for (int axis : new int[] {0, 1, 2}) {
        HostArray second = axis == 1 ? other : cube;
        check(data, "CONCAT along axis " + axis, Tolerance.exact(), (b, in) -> b.concat(List.of(in[0], in[1]), axis),
            cube, second);
      }
      HostArray row = data.uniform(Shape.of(COLUMNS), dtype, -5, 5);
      check(data, "BROADCAST [" + COLUMNS + "] to [3, " + ROWS + ", " + COLUMNS + "]", Tolerance.exact(),
          (b, in) -> b.broadcastTo(in[0], Shape.of(3, ROWS, COLUMNS)), row);
      HostArray column = data.uniform(Shape.of(ROWS, 1), dtype, -5, 5);
      check(data, "BROADCAST [" + ROWS + ", 1] to " + MATRIX, Tolerance.exact(),
          (b, in) -> b.broadcastTo(in[0], MATRIX), column);
      HostArray matrix = data.uniform(MATRIX, dtype, -5, 5);
      int[] rows = data.indicesWithRepeats(301, ROWS);
      check(data, "GATHER of 301 rows with repeats", Tolerance.exact(), (b, in) -> b.gather(in[0], rows), matrix);
      int[] columns = data.indicesWithRepeats(301, COLUMNS);
      check(data, "GATHER from a transposed array", Tolerance.exact(),
          (b, in) -> b.gather(b.permute(in[0], new int[] {1, 0}), columns), matrix);
      HostArray updates = data.uniform(Shape.of(301, COLUMNS), dtype, -5, 5);
      check(data, "SCATTER_ADD of 301 rows into " + ROWS, Tolerance.accumulating(dtype),
          (b, in) -> b.scatterAdd(b.unary(Op.ABS, in[0]), rows, ROWS), (b, in) -> b.scatterAdd(in[0], rows, ROWS),
          updates);
      DType other2 = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
      check(data, "CAST of a transposed array to " + other2, Tolerance.exact(),
          (b, in) -> b.cast(b.permute(in[0], new int[] {1, 0}), other2), matrix);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unfoldAndFoldOfLargeImages(DType dtype) {
      TestData data = new TestData("large unfold/fold " + dtype);
      Shape images = Shape.of(7, 5, 31, 29);
      ConvGeometry window = new ConvGeometry(3, 5, 1, 2, 1, 2, 2, 1);
      HostArray x = data.uniform(images, dtype, -5, 5);
      check(data, "UNFOLD of " + images + " by " + window, Tolerance.exact(), (b, in) -> b.unfold(in[0], window), x);
      check(data, "FOLD of the patches of " + images + " by " + window, Tolerance.accumulating(dtype),
          (b, in) -> b.fold(b.unfold(b.unary(Op.ABS, in[0]), window), images, window),
          (b, in) -> b.fold(b.unfold(in[0], window), images, window), x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void randomStreamsOfLargeArraysAtLargeOffsets(DType dtype) {
      TestData data = new TestData("large random " + dtype);
      long offset = (1L << 33) + 7;
      check(data, "randomUniform of " + MATRIX, Tolerance.exact(),
          (b, in) -> b.randomUniform(42, offset, MATRIX, dtype));
      check(data, "randomNormal of " + MATRIX, Tolerance.elementwise(dtype),
          (b, in) -> b.randomNormal(42, offset, MATRIX, dtype));
    }
  }

  // ---- fused kernels

  /**
   * The optimizer's fused Adam update equals its composition of primitives (on the reference). The
   * kernels tensor code calls are held to the core's compositions by vae-core's kernel contract.
   */
  @Nested
  class FusedKernels {
    private <K extends FusedKernel> K require(Class<K> kind) {
      Optional<K> kernel = backend.fused(kind);
      Assumptions.assumeTrue(kernel.isPresent(),
          () -> "backend " + backend.name() + " lacks the fused kernel " + kind.getSimpleName() + "; nothing to check");
      return kernel.get();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamUpdateEqualsItsComposition(DType dtype) {
      FusedKernel.AdamUpdate kernel = require(FusedKernel.AdamUpdate.class);
      TestData data = new TestData("fused adam " + dtype);
      double lr = 1e-2;
      double beta1 = 0.9;
      double beta2 = 0.999;
      double eps = 1e-8;
      double weightDecay = 0.01;
      for (Shape shape : List.of(Shape.scalar(), Shape.of(0), Shape.of(5), Shape.of(3, 4), Shape.of(257, 263))) {
        HostArray param = data.uniform(shape, dtype, -1, 1);
        NdArray p = param.on(backend);
        NdArray m = backend.full(shape, dtype, 0);
        NdArray v = backend.full(shape, dtype, 0);
        NdArray rp = param.on(reference);
        NdArray rm = reference.full(shape, dtype, 0);
        NdArray rv = reference.full(shape, dtype, 0);
        for (long step = 1; step <= 3; step++) {
          HostArray grad = data.uniform(shape, dtype, -1, 1);
          kernel.adamUpdate(p, grad.on(backend), m, v, lr, beta1, beta2, eps, weightDecay, step);
          NdArray[] next = adamComposition(rp, grad.on(reference), rm, rv, lr, beta1, beta2, eps, weightDecay, step);
          rp = next[0];
          rm = next[1];
          rv = next[2];
          String what = data.where("fused Adam step " + step + " on " + shape);
          Tolerance tolerance = Tolerance.accumulating(dtype);
          assertValues(what + ": m", shape, backend.toDoubles(m), reference.toDoubles(rm), tolerance, null);
          assertValues(what + ": v", shape, backend.toDoubles(v), reference.toDoubles(rv), tolerance, null);
          assertValues(what + ": param", shape, backend.toDoubles(p), reference.toDoubles(rp), tolerance, null);
        }
      }
    }

    /** m, v and param after one Adam step, written with primitives (returns {param, m, v}). */
    private NdArray[] adamComposition(NdArray param, NdArray grad, NdArray m, NdArray v, double lr, double beta1,
        double beta2, double eps, double weightDecay, long step) {
      ReferenceBackend r = reference;
      NdArray m1 = r.binary(Op.ADD, withScalar(r, Op.MUL, m, beta1, false),
          withScalar(r, Op.MUL, grad, 1 - beta1, false));
      NdArray g2 = r.binary(Op.MUL, grad, grad);
      NdArray v1 = r.binary(Op.ADD, withScalar(r, Op.MUL, v, beta2, false),
          withScalar(r, Op.MUL, g2, 1 - beta2, false));
      NdArray mHat = withScalar(r, Op.DIV, m1, 1 - Math.pow(beta1, step), false);
      NdArray vHat = withScalar(r, Op.DIV, v1, 1 - Math.pow(beta2, step), false);
      NdArray denominator = withScalar(r, Op.ADD, r.unary(Op.SQRT, vHat), eps, false);
      NdArray direction = r.binary(Op.ADD, r.binary(Op.DIV, mHat, denominator),
          withScalar(r, Op.MUL, param, weightDecay, false));
      NdArray p1 = r.binary(Op.SUB, param, withScalar(r, Op.MUL, direction, lr, false));
      return new NdArray[] {p1, m1, v1};
    }
  }
}
