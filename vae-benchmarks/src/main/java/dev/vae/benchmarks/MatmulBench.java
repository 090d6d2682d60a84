package dev.vae.benchmarks;

import dev.vae.api.Shape;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Philox;
import dev.vae.core.backend.BackendRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * float32 matrix product through the backend SPI against ND4J's own {@code mmul} on the same
 * inputs: the SPI must add no measurable cost. Each call allocates its result in both cases, and
 * frees it (a scope in ours, {@code close()} in ND4J's).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class MatmulBench {
  /** "m,k,n" of the product [m,k]·[k,n]. */
  @Param({"128,784,400", "1024,1024,1024"})
  public String size;

  private Backend backend;
  private NdArray a;
  private NdArray b;
  private INDArray directA;
  private INDArray directB;

  @Setup(Level.Trial)
  public void setUp() {
    String[] mkn = size.split(",");
    int m = Integer.parseInt(mkn[0]);
    int k = Integer.parseInt(mkn[1]);
    int n = Integer.parseInt(mkn[2]);
    backend = BackendRegistry.discover().create(Optional.of("cpu"));
    float[] left = randomFloats(m * k, 1);
    float[] right = randomFloats(k * n, 2);
    a = backend.fromHost(left, Shape.of(m, k));
    b = backend.fromHost(right, Shape.of(k, n));
    directA = Nd4j.create(left, new long[] {m, k}, 'c').castTo(DataType.FLOAT);
    directB = Nd4j.create(right, new long[] {k, n}, 'c').castTo(DataType.FLOAT);
  }

  static float[] randomFloats(int n, long seed) {
    float[] out = new float[n];
    Philox.uniformFloats(seed, 0, out);
    return out;
  }

  @Benchmark
  public float spi() {
    try (MemoryScope scope = backend.openScope()) {
      NdArray c = backend.matmul(a, b, false, false);
      return c.shape().dim(0);
    }
  }

  @Benchmark
  public float nd4jDirect() {
    INDArray c = directA.mmul(directB);
    float first = c.size(0);
    c.close();
    return first;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    a.close();
    b.close();
    backend.close();
  }
}
