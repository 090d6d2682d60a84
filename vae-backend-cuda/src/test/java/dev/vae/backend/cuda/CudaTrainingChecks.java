package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.Op;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Mlp;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine on the CUDA backend: gradients of the differentiable ops against central finite
 * differences in float64 (vae-core's {@link GradientCheck}), and a long training run whose arrays,
 * pooled buffers and device allocations stay flat while its loss falls. Subclasses supply the
 * backend: on a GPU, or on the kernel emulator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CudaTrainingChecks {
  private CudaBackend backend;
  private Engine engine;
  private GradientCheck check;
  private MemoryScope scope;

  /** The backend under test; called once per class. */
  protected abstract CudaBackend cudaBackend();

  @BeforeEach
  final void openScope() {
    if (backend == null) {
      backend = cudaBackend();
      engine = new Engine(backend);
    }
    check = new GradientCheck(engine, 42);
    scope = engine.scope();
  }

  @AfterEach
  final void closeScope() {
    scope.close();
  }

  @AfterAll
  final void closeBackend() {
    if (backend != null) {
      backend.close();
    }
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
        new Unary("exp", Tensor::exp, -3, 3),
        new Unary("log", Tensor::log, 0.1, 5),
        new Unary("log1p", Tensor::log1p, -0.9, 5),
        new Unary("sqrt", Tensor::sqrt, 0.1, 5),
        new Unary("tanh", Tensor::tanh, -3, 3),
        new Unary("sigmoid", Tensor::sigmoid, -5, 5),
        new Unary("lgamma", Tensor::lgamma, 0.2, 6),
        new Unary("digamma", Tensor::digamma, 0.3, 6),
        new Unary("softplus", Tensor::softplus, -6, 6),
        new Unary("scalar pow", x -> x.pow(2.5), 0.5, 3),
        new Unary("scalar max", x -> x.maximum(0.25).add(x.minimum(-0.25)), -3, 3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unaryFunctions")
  void unaryGradients(Unary u) {
    Shape shape = Shape.of(3, 4);
    check.check(u.name(), in -> u.f().apply(in.get(0)), List.of(shape), List.of(check.uniform(shape, u.lo(), u.hi())));
  }

  @Test
  void binaryGradientsWithBroadcasting() {
    for (Op op : List.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW, Op.MAX)) {
      for (Shape[] shapes : List.of(new Shape[] {Shape.of(3, 4), Shape.of(4)},
          new Shape[] {Shape.of(3, 1), Shape.of(1, 4)}, new Shape[] {Shape.of(2, 3, 4), Shape.scalar()})) {
        boolean positive = op == Op.POW || op == Op.DIV;
        check.check(op + " " + shapes[0] + " " + shapes[1], in -> in.get(0).binary(op, in.get(1)), List.of(shapes),
            List.of(positive ? check.uniform(shapes[0], 0.5, 2) : check.normal(shapes[0]),
                positive ? check.uniform(shapes[1], 0.5, 2) : check.normal(shapes[1])));
      }
    }
  }

  @Test
  void reductionGradients() {
    Shape shape = Shape.of(2, 3, 4);
    for (int[] axes : new int[][] {{}, {1}, {0, 2}}) {
      check.check("sum", in -> in.get(0).sum(false, axes), List.of(shape), List.of(check.normal(shape)));
      check.check("max", in -> in.get(0).max(false, axes), List.of(shape), List.of(check.normal(shape)));
      check.check("logSumExp", in -> in.get(0).logSumExp(true, axes), List.of(shape), List.of(check.normal(shape)));
    }
  }

  @Test
  void matmulGradientsForEveryTranspose() {
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        Shape a = ta ? Shape.of(2, 4, 3) : Shape.of(2, 3, 4);
        Shape b = tb ? Shape.of(2, 5, 4) : Shape.of(2, 4, 5);
        check.check("batched matmul " + ta + tb, in -> in.get(0).matmul(in.get(1), ta, tb), List.of(a, b),
            List.of(check.normal(a), check.normal(b)));
      }
    }
  }

  @Test
  void movementGradients() {
    Shape shape = Shape.of(2, 3, 4);
    List<Shape> one = List.of(shape);
    check.check("permute", in -> in.get(0).permute(2, 0, 1), one, List.of(check.normal(shape)));
    check.check("slice", in -> in.get(0).slice(new int[] {1, 0, 1}, new int[] {2, 2, 4}), one,
        List.of(check.normal(shape)));
    check.check("broadcastTo", in -> in.get(0).broadcastTo(Shape.of(5, 2, 3, 4)), one, List.of(check.normal(shape)));
    check.check("gather with repeats", in -> in.get(0).gatherRows(1, 0, 1, 1), one, List.of(check.normal(shape)));
    check.check("concat", in -> engine.concat(List.of(in.get(0), in.get(1), in.get(0)), 1),
        List.of(Shape.of(2, 3), Shape.of(2, 5)), List.of(check.normal(Shape.of(2, 3)), check.normal(Shape.of(2, 5))));
  }

  @Test
  void choleskyAndTriangularSolveGradients() {
    Shape m = Shape.of(2, 3, 3);
    Function<List<Tensor>, Tensor> f = in -> {
      Tensor a = in.get(0).matmul(in.get(0), false, true);
      return a.add(engine.fromHost(new double[] {3, 0, 0, 0, 3, 0, 0, 0, 3}, Shape.of(3, 3), DType.FLOAT64)).cholesky();
    };
    check.check("cholesky", f, List.of(m), List.of(check.normal(m)));
    Shape a = Shape.of(3, 3);
    Shape b = Shape.of(3, 2);
    double[] values = check.uniform(a, 0.2, 1);
    for (int i = 0; i < 3; i++) {
      values[i * 3 + i] += 2;
    }
    check.check("triangularSolve", in -> in.get(0).triangularSolve(in.get(1), true, true), List.of(a, b),
        List.of(values, check.normal(b)));
  }

  @Test
  void aLongTrainingRunKeepsMemoryFlatAndLearns() {
    Mlp mlp = Mlp.builder(engine).sizes(3, 8, 1).activation(Activation.TANH).rng(new Rng(7))
        .dtype(DType.FLOAT32).build();
    double[] xs = new double[16 * 3];
    double[] ys = new double[16];
    dev.vae.api.backend.Philox.normals(new Rng(3).seed(), 0, xs);
    for (int i = 0; i < 16; i++) {
      ys[i] = Math.sin(xs[3 * i]) + 0.5 * xs[3 * i + 1] * xs[3 * i + 2];
    }
    try (Adam adam = Adam.adam(engine, 0.02)) {
      double first = trainStep(mlp, adam, xs, ys);
      trainStep(mlp, adam, xs, ys);
      long arrays = backend.liveArrays();
      long buffers = backend.pool().liveBuffers();
      long reserved = backend.pool().reservedBytes();
      long allocations = backend.pool().deviceAllocations();
      double last = first;
      for (int i = 0; i < 300; i++) {
        last = trainStep(mlp, adam, xs, ys);
      }
      assertThat(backend.liveArrays()).as("arrays alive after 300 more steps").isEqualTo(arrays);
      assertThat(backend.pool().liveBuffers()).as("pooled buffers out after 300 more steps").isEqualTo(buffers);
      assertThat(backend.pool().reservedBytes()).as("device bytes held after 300 more steps").isEqualTo(reserved);
      assertThat(backend.pool().deviceAllocations()).as("device allocations during 300 more steps")
          .isEqualTo(allocations);
      assertThat(last).as("loss after training").isLessThan(first * 0.2);
    }
  }

  private double trainStep(Mlp mlp, Adam adam, double[] xs, double[] ys) {
    try (MemoryScope step = engine.scope()) {
      Tensor x = engine.fromHost(xs, Shape.of(16, 3), DType.FLOAT32);
      Tensor y = engine.fromHost(ys, Shape.of(16, 1), DType.FLOAT32);
      Tensor loss = mlp.forward(x).sub(y).square().mean();
      List<Tensor> leaves = mlp.parameters().stream().map(Parameter::tensor).toList();
      adam.step(mlp.parameters(), engine.gradients(loss, leaves));
      return loss.item();
    }
  }
}
