package dev.vae.core.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.Op;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.nn.Activation;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every differentiable primitive and composite against central finite differences in float64. */
class GradientCheckTest {
  private final Engine engine = new Engine(new ReferenceBackend());
  private final GradientCheck check = new GradientCheck(engine, 42);
  private MemoryScope scope;

  @BeforeEach
  void open() {
    scope = engine.scope();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  /** A unary function with the interval its inputs are drawn from. */
  record Unary(String name, UnaryOperator<Tensor> f, double lo, double hi) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Unary> unaryFunctions() {
    return Stream.of(
        new Unary("neg", Tensor::neg, -3, 3),
        new Unary("exp", Tensor::exp, -3, 3),
        new Unary("log", Tensor::log, 0.1, 5),
        new Unary("log1p", Tensor::log1p, -0.9, 5),
        new Unary("expm1", Tensor::expm1, -3, 3),
        new Unary("sqrt", Tensor::sqrt, 0.1, 5),
        new Unary("tanh", Tensor::tanh, -3, 3),
        new Unary("sigmoid", Tensor::sigmoid, -5, 5),
        new Unary("abs", Tensor::abs, 0.1, 3),
        new Unary("abs of negatives", Tensor::abs, -3, -0.1),
        new Unary("lgamma", Tensor::lgamma, 0.2, 6),
        new Unary("digamma", Tensor::digamma, 0.3, 6),
        new Unary("square (input used twice)", Tensor::square, -3, 3),
        new Unary("reciprocal", Tensor::reciprocal, 0.5, 3),
        new Unary("softplus", Tensor::softplus, -6, 6),
        new Unary("logSigmoid", Tensor::logSigmoid, -6, 6),
        new Unary("relu", Activation.RELU::apply, 0.1, 3),
        new Unary("leakyRelu", Activation.LEAKY_RELU::apply, -3, 3),
        new Unary("elu", Activation.ELU::apply, -3, 3),
        new Unary("gelu", Activation.GELU::apply, -3, 3),
        new Unary("scalar add", x -> x.add(2.5), -3, 3),
        new Unary("scalar rsub", x -> x.rsub(2.5), -3, 3),
        new Unary("scalar mul", x -> x.mul(-1.5), -3, 3),
        new Unary("scalar div", x -> x.div(1.5), -3, 3),
        new Unary("scalar rdiv", x -> x.rdiv(1.5), 0.5, 3),
        new Unary("scalar pow", x -> x.pow(2.5), 0.5, 3),
        new Unary("scalar base pow", x -> x.binary(Op.POW, 1.7, true), -2, 2),
        new Unary("scalar max", x -> x.maximum(0.25).add(x.minimum(-0.25)), -3, 3),
        new Unary("scalar-first max and min", x -> x.binary(Op.MAX, 0.25, true).add(x.binary(Op.MIN, -0.25, true)),
            -3, 3),
        new Unary("x * exp(x) + log1p(x^2) (reuse)", x -> x.mul(x.exp()).add(x.square().log1p()), -2, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unaryFunctions")
  void unary(Unary u) {
    Shape shape = Shape.of(3, 4);
    check.check(u.name(), in -> u.f().apply(in.get(0)), List.of(shape), List.of(check.uniform(shape, u.lo(), u.hi())));
  }

  static Stream<Arguments> binaryOps() {
    return Stream.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW, Op.MAX, Op.MIN)
        .flatMap(op -> Stream.of(
            Arguments.of(op, Shape.of(3, 4), Shape.of(3, 4)),
            Arguments.of(op, Shape.of(3, 4), Shape.of(4)),
            Arguments.of(op, Shape.of(3, 1), Shape.of(1, 4)),
            Arguments.of(op, Shape.of(2, 3, 4), Shape.scalar())));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("binaryOps")
  void binaryWithBroadcasting(Op op, Shape a, Shape b) {
    boolean positive = op == Op.POW || op == Op.DIV;
    check.check(op + " " + a + " " + b, in -> in.get(0).binary(op, in.get(1)), List.of(a, b),
        List.of(positive ? check.uniform(a, 0.5, 2) : check.normal(a),
            positive ? check.uniform(b, 0.5, 2) : check.normal(b)));
  }

  @Test
  void where() {
    Shape shape = Shape.of(3, 4);
    double[] cond = check.uniform(shape, -1, 1);
    check.check("where", in -> in.get(0).gt(0.0).where(in.get(1), in.get(2)),
        List.of(shape, shape, Shape.of(4)), List.of(cond, check.normal(shape), check.normal(Shape.of(4))));
  }

  @Test
  void sumOverAxes() {
    Shape shape = Shape.of(2, 3, 4);
    for (int[] axes : new int[][] {{}, {0}, {1}, {2}, {0, 2}, {-1}}) {
      check.check("sum " + java.util.Arrays.toString(axes), in -> in.get(0).sum(false, axes), List.of(shape),
          List.of(check.normal(shape)));
      check.check("sum keepDims", in -> in.get(0).sum(true, axes), List.of(shape), List.of(check.normal(shape)));
    }
  }

  @Test
  void maxOverAxesAndMean() {
    Shape shape = Shape.of(2, 3, 4);
    for (int[] axes : new int[][] {{}, {1}, {0, 2}}) {
      check.check("max", in -> in.get(0).max(false, axes), List.of(shape), List.of(check.normal(shape)));
      check.check("mean", in -> in.get(0).mean(true, axes), List.of(shape), List.of(check.normal(shape)));
      check.check("logSumExp", in -> in.get(0).logSumExp(false, axes), List.of(shape), List.of(check.normal(shape)));
    }
  }

  @ParameterizedTest(name = "fused kernels offered: {0}")
  @ValueSource(booleans = {true, false})
  void softplusAndLogSigmoidHaveTheirTrueDerivativeAtTheKinkOfTheirParts(boolean fused) {
    Engine e = fused ? engine : new Engine(ReferenceBackend.withoutFusedKernels());
    try (MemoryScope ignored = e.scope()) {
      Tensor x = e.variable(e.backend().fromHost(new double[] {0.0, -0.0}, Shape.of(2), DType.FLOAT64));
      assertThat(e.gradients(x.softplus().sum(), List.of(x)).get(0).toDoubles()).containsExactly(0.5, 0.5);
      assertThat(e.gradients(x.logSigmoid().sum(), List.of(x)).get(0).toDoubles()).containsExactly(0.5, 0.5);
    }
  }

  @Test
  void softplusIsOneFusedNodeWhenTheBackendOffersTheKernelAndItsCompositionOtherwise() {
    Engine plain = new Engine(ReferenceBackend.withoutFusedKernels());
    try (MemoryScope ignored = plain.scope()) {
      Tensor x = engine.variable(engine.backend().fromHost(new double[] {-2, 3}, Shape.of(2), DType.FLOAT64));
      Tensor y = plain.variable(plain.backend().fromHost(new double[] {-2, 3}, Shape.of(2), DType.FLOAT64));
      assertThat(x.softplus().toString()).endsWith("<- SOFTPLUS (requires grad)");
      assertThat(y.softplus().toString()).endsWith("<- ADD (requires grad)");
      assertThat(x.softplus().toDoubles()).usingComparatorWithPrecision(1e-15)
          .containsExactly(y.softplus().toDoubles()[0], y.softplus().toDoubles()[1]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"softplus", "logSigmoid"})
  void softplusCompositionWithoutAFusedKernel(String name) {
    Engine plain = new Engine(ReferenceBackend.withoutFusedKernels());
    GradientCheck composition = new GradientCheck(plain, 43);
    UnaryOperator<Tensor> f = name.equals("softplus") ? Tensor::softplus : Tensor::logSigmoid;
    Shape shape = Shape.of(3, 4);
    try (MemoryScope ignored = plain.scope()) {
      composition.check(name + " composition", in -> f.apply(in.get(0)), List.of(shape),
          List.of(composition.uniform(shape, -6, 6)));
    }
  }

  @Test
  void softplusWithoutItsSlopeKernelDifferentiatesThroughSigmoid() {
    Engine softplusOnly = new Engine(ReferenceBackend.withFusedKernelsExcept(FusedKernel.SoftplusWithSlope.class));
    GradientCheck fusedSoftplus = new GradientCheck(softplusOnly, 44);
    Shape shape = Shape.of(3, 4);
    try (MemoryScope ignored = softplusOnly.scope()) {
      Tensor x = softplusOnly.variable(softplusOnly.backend().full(shape, DType.FLOAT64, 0.5));
      assertThat(x.softplus().toString()).endsWith("<- SOFTPLUS (requires grad)");
      fusedSoftplus.check("fused softplus, gradient by sigmoid", in -> in.get(0).softplus(), List.of(shape),
          List.of(fusedSoftplus.uniform(shape, -6, 6)));
    }
  }

  @ParameterizedTest(name = "fused kernels offered: {0}")
  @ValueSource(booleans = {true, false})
  void bernoulliLogLikelihood(boolean fused) {
    Engine e = fused ? engine : new Engine(ReferenceBackend.withoutFusedKernels());
    GradientCheck c = new GradientCheck(e, 45);
    Shape shape = Shape.of(3, 5);
    double[] binary = c.uniform(shape, 0, 1);
    for (int i = 0; i < binary.length; i++) {
      binary[i] = binary[i] < 0.4 ? 1 : 0;
    }
    try (MemoryScope ignored = e.scope()) {
      Tensor x = e.fromHost(binary, shape, DType.FLOAT64);
      c.check("bernoulli log-likelihood", in -> bernoulli(in.get(0), x), List.of(shape),
          List.of(c.uniform(shape, -6, 6)));
      // targets that need a gradient take the composition, which differentiates them too
      c.check("bernoulli log-likelihood, targets too", in -> bernoulli(in.get(0), in.get(1)),
          List.of(shape, shape), List.of(c.uniform(shape, -6, 6), c.uniform(shape, 0, 1)));
    }
  }

  @Test
  void bernoulliLogLikelihoodIsOneFusedNodeUnlessTheTargetsNeedAGradient() {
    try (MemoryScope ignored = engine.scope()) {
      Tensor logits = engine.variable(engine.backend().fromHost(new double[] {-2, 3}, Shape.of(1, 2), DType.FLOAT64));
      Tensor data = engine.fromHost(new double[] {0, 1}, Shape.of(1, 2), DType.FLOAT64);
      Tensor learned = engine.variable(engine.backend().fromHost(new double[] {0, 1}, Shape.of(1, 2), DType.FLOAT64));
      assertThat(bernoulli(logits, data).toString()).endsWith("<- BERNOULLI_LOG_LIKELIHOOD (requires grad)");
      assertThat(bernoulli(logits, learned).toString()).endsWith("<- SUM (requires grad)");
      double expected = -Math.log1p(Math.exp(-2)) + 3 - Math.log1p(Math.exp(3));
      assertThat(bernoulli(logits, data).toDoubles()[0]).isCloseTo(expected,
          org.assertj.core.data.Offset.offset(1e-14));
    }
  }

  private static Tensor bernoulli(Tensor logits, Tensor x) {
    return logits.factory().kernel(FusedKernel.BernoulliLogLikelihood.class, logits, x);
  }

  @Test
  void maxGradientIsSplitBetweenTies() {
    Tensor x = engine.variable(engine.backend().fromHost(new double[] {1, 3, 3, 2}, Shape.of(4), DType.FLOAT64));
    Tensor g = engine.gradients(x.max(false), List.of(x)).get(0);
    assertThat(g.toDoubles()).containsExactly(0, 0.5, 0.5, 0);
  }

  @Test
  void matmulAllTransposes() {
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        Shape a = ta ? Shape.of(4, 3) : Shape.of(3, 4);
        Shape b = tb ? Shape.of(5, 4) : Shape.of(4, 5);
        check.check("matmul " + ta + tb, in -> in.get(0).matmul(in.get(1), ta, tb), List.of(a, b),
            List.of(check.normal(a), check.normal(b)));
        Shape ba = ta ? Shape.of(2, 4, 3) : Shape.of(2, 3, 4);
        Shape bb = tb ? Shape.of(2, 5, 4) : Shape.of(2, 4, 5);
        check.check("batched matmul " + ta + tb, in -> in.get(0).matmul(in.get(1), ta, tb), List.of(ba, bb),
            List.of(check.normal(ba), check.normal(bb)));
      }
    }
  }

  @Test
  void movementOps() {
    Shape shape = Shape.of(2, 3, 4);
    List<Shape> one = List.of(shape);
    check.check("reshape", in -> in.get(0).reshape(4, 6), one, List.of(check.normal(shape)));
    check.check("permute", in -> in.get(0).permute(2, 0, 1), one, List.of(check.normal(shape)));
    check.check("transpose", in -> in.get(0).transpose(), one, List.of(check.normal(shape)));
    check.check("slice", in -> in.get(0).slice(new int[] {1, 0, 1}, new int[] {2, 2, 4}), one,
        List.of(check.normal(shape)));
    check.check("slice one axis", in -> in.get(0).slice(-1, 1, 3), one, List.of(check.normal(shape)));
    check.check("broadcastTo", in -> in.get(0).broadcastTo(Shape.of(5, 2, 3, 4)), one, List.of(check.normal(shape)));
    check.check("gather with repeats", in -> in.get(0).gatherRows(1, 0, 1, 1), one, List.of(check.normal(shape)));
    check.check("scatterAdd", in -> ((Node) in.get(0)).scatterAddRows(new int[] {2, 0, 2}, 4),
        List.of(Shape.of(3, 4)), List.of(check.normal(Shape.of(3, 4))));
    check.check("concat", in -> engine.concat(List.of(in.get(0), in.get(1), in.get(0)), 1),
        List.of(Shape.of(2, 3), Shape.of(2, 5)), List.of(check.normal(Shape.of(2, 3)), check.normal(Shape.of(2, 5))));
  }

  @Test
  void castThereAndBack() {
    // The float32 round trip is piecewise constant at float resolution: difference over a wide step.
    Shape shape = Shape.of(3, 4);
    new GradientCheck(engine, 7).step(1e-3).tolerance(1e-4).check("cast there and back",
        in -> in.get(0).cast(DType.FLOAT32).cast(DType.FLOAT64).mul(in.get(0)), List.of(shape),
        List.of(check.normal(shape)));
  }

  @Test
  void cholesky() {
    // A = M Mᵀ + 3 I is symmetric positive definite for any M, so the check moves M freely.
    Shape m = Shape.of(2, 3, 3);
    Function<List<Tensor>, Tensor> f = in -> {
      Tensor a = in.get(0).matmul(in.get(0), false, true);
      Tensor spd = a.add(engine.fromHost(new double[] {3, 0, 0, 0, 3, 0, 0, 0, 3}, Shape.of(3, 3), DType.FLOAT64));
      return spd.cholesky();
    };
    check.check("cholesky", f, List.of(m), List.of(check.normal(m)));
  }

  @Test
  void triangularSolve() {
    Shape a = Shape.of(3, 3);
    Shape b = Shape.of(3, 2);
    for (boolean lower : new boolean[] {true, false}) {
      for (boolean transpose : new boolean[] {false, true}) {
        double[] values = check.uniform(a, 0.2, 1);
        for (int i = 0; i < 3; i++) {
          values[i * 3 + i] += 2;
        }
        check.check("triangularSolve lower=" + lower + " transpose=" + transpose,
            in -> in.get(0).triangularSolve(in.get(1), lower, transpose), List.of(a, b),
            List.of(values, check.normal(b)));
      }
    }
  }

  @Test
  void valueUsedTwiceAccumulates() {
    Tensor x = engine.variable(engine.backend().fromHost(new double[] {1.5, -2}, Shape.of(2), DType.FLOAT64));
    Tensor y = x.mul(x).add(x).sum();
    assertThat(engine.gradients(y, List.of(x)).get(0).toDoubles()).containsExactly(4.0, -3.0);
  }

  @Test
  void unrelatedInputGetsZeroGradient() {
    Tensor x = engine.variable(engine.backend().fromHost(new double[] {1, 2}, Shape.of(2), DType.FLOAT64));
    Tensor unused = engine.variable(engine.backend().fromHost(new double[] {5}, Shape.of(1), DType.FLOAT64));
    List<Tensor> g = engine.gradients(x.exp().sum(), List.of(x, unused));
    assertThat(g.get(1).toDoubles()).containsExactly(0.0);
  }

  @Test
  void detachStopsGradients() {
    Tensor x = engine.variable(engine.backend().fromHost(new double[] {2}, Shape.of(1), DType.FLOAT64));
    Tensor y = x.mul(x.detach()).sum();
    assertThat(engine.gradients(y, List.of(x)).get(0).toDoubles()).containsExactly(2.0);
  }
}
