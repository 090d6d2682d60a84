package dev.vae.benchmarks;

import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.backend.BackendRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one elementwise op, forward and backward, on a float32 128x400 tensor: y = exp(x),
 * then dL/dx for L = sum(y · g) with a fixed upstream gradient g, which is g · y. (exp, because
 * ND4J computes it natively in both versions; tanh, log1p and expm1 get a host pass for accuracy
 * near 0 in our backend, which the direct ND4J calls would not do.)
 *
 * <ul>
 *   <li>{@code autodiff}: through the framework (Tensor, tape, gradient rule, scope).
 *   <li>{@code nd4jSameOps}: ND4J called directly with the array ops the autodiff issues, each
 *       allocating its result: the difference is the framework's per-op overhead.
 *   <li>{@code nd4jHandFused}: what a careful hand-written ND4J version does (in-place ops, no
 *       loss), for scale.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ElementwiseBench {
  private static final int ROWS = 128;
  private static final int COLS = 400;

  private Engine engine;
  private Tensor x;
  private Tensor upstream;
  private INDArray directX;
  private INDArray directG;

  @Setup(Level.Trial)
  public void setUp() {
    engine = new Engine(BackendRegistry.discover().create(Optional.of("cpu")));
    float[] xs = MatmulBench.randomFloats(ROWS * COLS, 3);
    float[] gs = MatmulBench.randomFloats(ROWS * COLS, 4);
    x = engine.variable(engine.backend().fromHost(xs, Shape.of(ROWS, COLS)));
    upstream = engine.fromHost(gs, Shape.of(ROWS, COLS));
    directX = Nd4j.create(xs, new long[] {ROWS, COLS}, 'c');
    directG = Nd4j.create(gs, new long[] {ROWS, COLS}, 'c');
  }

  @Benchmark
  public Object autodiff() {
    try (MemoryScope scope = engine.scope()) {
      Tensor loss = x.exp().mul(upstream).sum();
      return engine.gradients(loss, List.of(x)).get(0).shape();
    }
  }

  @Benchmark
  public Object nd4jSameOps() {
    INDArray y = Transforms.exp(directX, true);
    INDArray weighted = y.mul(directG);
    INDArray loss = weighted.sum();
    INDArray ones = Nd4j.onesLike(weighted);
    INDArray gy = ones.mul(directG);
    INDArray gx = gy.mul(y);
    long[] shape = gx.shape();
    for (INDArray a : new INDArray[] {y, weighted, loss, ones, gy, gx}) {
      a.close();
    }
    return shape;
  }

  @Benchmark
  public Object nd4jHandFused() {
    INDArray y = Transforms.exp(directX, true);
    INDArray gx = y.mul(directG);
    long[] shape = gx.shape();
    y.close();
    gx.close();
    return shape;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.backend().close();
  }
}
