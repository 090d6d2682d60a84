package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.vae.api.ConvGeometry;
import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.api.testkit.ReferenceBackend;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CUDA backend's host side on a {@link FakeDevice}: transfers, checks and their messages, which
 * kernel each op launches with which configuration and arguments, and memory bookkeeping (arrays,
 * pooled buffers and device allocations back to their baseline after scopes, flat over many steps,
 * nothing left after close). Kernels do not run here, so computed values are not checked; the
 * contract suite does that on a GPU.
 */
class CudaBackendHostTest {
  private final FakeDevice device = new FakeDevice(64);
  private final CudaBackend backend = new CudaBackend(device);

  @AfterEach
  void closeBackend() {
    backend.close();
    assertThat(device.countingMemory().outstanding()).as("device buffers after close").isZero();
    assertThat(device.closed()).isTrue();
  }

  private NdArray zeros(DType dtype, int... dims) {
    return backend.fromHost(new double[Shape.of(dims).sizeAsInt()], Shape.of(dims), dtype);
  }

  // ---- transfers

  @ParameterizedTest
  @EnumSource(DType.class)
  void hostDataRoundTripsThroughDeviceMemory(DType dtype) {
    double[] values = {0, -0.0, 1.5, -2, 0.1, 1e39, Double.NaN, Double.NEGATIVE_INFINITY, Math.PI};
    NdArray x = backend.fromHost(values, Shape.of(3, 3), dtype);
    double[] back = backend.toDoubles(x);
    float[] floats = backend.toFloats(x);
    for (int i = 0; i < values.length; i++) {
      double expected = dtype == DType.FLOAT32 ? (float) values[i] : values[i];
      assertThat(Double.doubleToRawLongBits(back[i])).as("element %d", i)
          .isEqualTo(Double.doubleToRawLongBits(expected));
      assertThat(Float.floatToRawIntBits(floats[i])).isEqualTo(Float.floatToRawIntBits((float) values[i]));
    }
    NdArray f = backend.fromHost(new float[] {1.25f, Float.MAX_VALUE}, Shape.of(2));
    assertThat(backend.toFloats(f)).containsExactly(1.25f, Float.MAX_VALUE);
    assertThat(device.launches()).as("transfers launch no kernels").isEmpty();
  }

  @Test
  void reshapeAndSameDtypeCastCopyOnTheDevice() {
    NdArray x = backend.fromHost(new double[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3), DType.FLOAT64);
    NdArray r = backend.reshape(x, Shape.of(3, 2));
    NdArray c = backend.cast(x, DType.FLOAT64);
    assertThat(r).isNotSameAs(x);
    assertThat(backend.toDoubles(r)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(backend.toDoubles(c)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(r.shape()).isEqualTo(Shape.of(3, 2));
  }

  @Test
  void emptyArraysHoldNoDeviceMemoryAndLaunchNothing() {
    long before = device.countingMemory().allocations();
    NdArray e = backend.full(Shape.of(2, 0, 3), DType.FLOAT32, 1);
    backend.unary(Op.EXP, e);
    backend.binary(Op.ADD, e, backend.full(Shape.of(3), DType.FLOAT32, 2));
    backend.reduce(Op.SUM, e, new int[] {2}, false);
    backend.randomNormal(1, 0, Shape.of(0), DType.FLOAT64);
    backend.matmul(zeros(DType.FLOAT32, 0, 3), zeros(DType.FLOAT32, 3, 2), false, false);
    assertThat(backend.toDoubles(e)).isEmpty();
    assertThat(device.launches()).as("only the fill of the [3] operand").hasSize(1);
    assertThat(device.countingMemory().allocations() - before).as("buffers: the [3] operand and [0, 3] x [3, 2]'s B")
        .isEqualTo(2);
  }

  // ---- launches

  @Test
  void fullLaunchesAFillWithTheValueRoundedToTheDtype() {
    backend.full(Shape.of(1000), DType.FLOAT32, 0.1);
    FakeDevice.Launch fill = device.lastLaunch();
    assertThat(fill.entry()).isEqualTo("vae_fill_f32");
    assertThat(fill.config()).isEqualTo(LaunchConfig.linear(1000, 64));
    assertThat(fill.arg(1)).isEqualTo(1000L);
    assertThat(fill.arg(2)).isEqualTo(0.1f);
    backend.full(Shape.of(3), DType.FLOAT64, 0.1);
    assertThat(device.lastLaunch().arg(2)).isEqualTo(0.1);
  }

  @Test
  void largeLaunchesAreCappedAtTheDevicesBlockBudget() {
    backend.full(Shape.of(1 << 20), DType.FLOAT32, 0);
    assertThat(device.lastLaunch().config().gridX()).isEqualTo(64);
  }

  @Test
  void unaryAndBinaryOpsPassTheirKernelCodes() {
    NdArray x = zeros(DType.FLOAT64, 2, 3);
    backend.unary(Op.LGAMMA, x);
    assertThat(device.lastLaunch().entry()).isEqualTo("vae_unary_f64");
    assertThat(device.lastLaunch().arg(3)).isEqualTo(KernelAbi.unaryCode(Op.LGAMMA));
    backend.binary(Op.POW, x, x);
    FakeDevice.Launch binary = device.lastLaunch();
    assertThat(binary.entry()).isEqualTo("vae_binary_f64");
    assertThat(binary.arg(6)).isEqualTo(KernelAbi.binaryCode(Op.POW));
  }

  @Test
  void broadcastingBinaryOpsCarryAMergedLayout() {
    NdArray a = zeros(DType.FLOAT32, 4, 1, 3);
    NdArray b = zeros(DType.FLOAT32, 5, 1);
    NdArray out = backend.binary(Op.LE, a, b);
    assertThat(out.shape()).isEqualTo(Shape.of(4, 5, 3));
    FakeDevice.Launch launch = device.lastLaunch();
    assertThat(launch.entry()).isEqualTo("vae_binary_f32");
    assertThat(launch.arg(3)).isEqualTo(60L);
    assertThat(launch.arg(4)).isEqualTo(3);
    long[] words = (long[]) launch.arg(5);
    assertThat(java.util.Arrays.copyOf(words, 3)).containsExactly(4, 5, 3);
    assertThat(java.util.Arrays.copyOfRange(words, 8, 11)).as("a's strides").containsExactly(3, 0, 1);
    assertThat(java.util.Arrays.copyOfRange(words, 16, 19)).as("b's strides").containsExactly(0, 1, 0);
    assertThat(launch.arg(6)).isEqualTo(KernelAbi.binaryCode(Op.LE));
  }

  @Test
  void reductionsPickThreadOrBlockKernelsByTheirLength() {
    backend.reduce(Op.SUM, zeros(DType.FLOAT32, 100, 10), new int[] {1}, false);
    assertThat(device.lastLaunch().entry()).isEqualTo("vae_reduce_thread_f32");
    assertThat(device.lastLaunch().config()).isEqualTo(LaunchConfig.linear(100, 64));
    NdArray max = backend.reduce(Op.REDUCE_MAX, zeros(DType.FLOAT64, 3, 1000), new int[0], true);
    assertThat(max.shape()).isEqualTo(Shape.of(1, 1));
    FakeDevice.Launch block = device.lastLaunch();
    assertThat(block.entry()).isEqualTo("vae_reduce_block_f64");
    assertThat(block.config()).isEqualTo(new LaunchConfig(1, 1, 1, KernelAbi.REDUCE_BLOCK, 1, 1));
    assertThat(block.arg(3)).as("elements per output").isEqualTo(3000L);
    assertThat(block.arg(7)).isEqualTo(KernelAbi.REDUCE_MAX);
  }

  @Test
  void matmulRunsTheTiledKernelWithoutCublasAndFillsZerosForAnEmptyInnerAxis() {
    backend.matmul(zeros(DType.FLOAT32, 2, 40, 5), zeros(DType.FLOAT32, 2, 17, 5), false, true);
    FakeDevice.Launch gemm = device.lastLaunch();
    assertThat(gemm.entry()).isEqualTo("vae_gemm_f32");
    assertThat(gemm.config()).isEqualTo(new LaunchConfig(2, 3, 2, 16, 16, 1));
    assertThat(gemm.args().list().subList(3, 9).stream().map(KernelArgs.Arg::value).toList())
        .containsExactly(2, 40, 17, 5, 0, 1);
    NdArray zero = backend.matmul(zeros(DType.FLOAT64, 3, 0), zeros(DType.FLOAT64, 0, 4), false, false);
    assertThat(zero.shape()).isEqualTo(Shape.of(3, 4));
    assertThat(device.lastLaunch().entry()).isEqualTo("vae_fill_f64");
  }

  @Test
  void choleskyLaunchesOneBlockPerMatrixAndFreesItsStatusBuffers() {
    NdArray a = zeros(DType.FLOAT64, 7, 3, 3);
    long buffers = backend.pool().liveBuffers();
    NdArray l = backend.cholesky(a);
    assertThat(l.shape()).isEqualTo(a.shape());
    FakeDevice.Launch launch = device.lastLaunch();
    assertThat(launch.entry()).isEqualTo("vae_cholesky_f64");
    assertThat(launch.config()).isEqualTo(new LaunchConfig(7, 1, 1, 32, 1, 1));
    assertThat(backend.pool().liveBuffers()).as("only the result stays").isEqualTo(buffers + 1);
  }

  @Test
  void aFailedCholeskyNamesTheFirstBadMatrixAndLeaksNothing() {
    NdArray a = zeros(DType.FLOAT32, 7, 3, 3);
    long arrays = backend.liveArrays();
    long buffers = backend.pool().liveBuffers();
    device.answerNextIntReadback(0, 0, 0, 0, 0, 2, 1);
    assertThatIllegalArgumentException().isThrownBy(() -> backend.cholesky(a))
        .withMessageContaining("batch index 5").withMessageContaining("[7, 3, 3]").withMessageContaining("pivot 1");
    assertThat(backend.liveArrays()).isEqualTo(arrays);
    assertThat(backend.pool().liveBuffers()).isEqualTo(buffers);
  }

  @Test
  void triangularSolvesLaunchOneThreadPerRightHandSide() {
    backend.triangularSolve(zeros(DType.FLOAT32, 2, 4, 4), zeros(DType.FLOAT32, 2, 4, 40), false, true);
    FakeDevice.Launch launch = device.lastLaunch();
    assertThat(launch.entry()).isEqualTo("vae_triangular_solve_f32");
    assertThat(launch.config()).isEqualTo(new LaunchConfig(2, 1, 1, 64, 1, 1));
    assertThat(launch.args().list().subList(3, 8).stream().map(KernelArgs.Arg::value).toList())
        .containsExactly(2, 4, 40, 0, 1);
  }

  @Test
  void movementOpsAreStridedCopies() {
    NdArray x = zeros(DType.FLOAT64, 2, 3, 4);
    backend.permute(x, new int[] {2, 0, 1});
    assertThat(device.lastLaunch().entry()).isEqualTo("vae_copy_strided_f64");
    backend.slice(x, new int[] {1, 1, 0}, new int[] {2, 3, 4});
    assertThat(device.lastLaunch().arg(5)).as("first element read").isEqualTo(16L);
    device.launches().clear();
    NdArray y = zeros(DType.FLOAT64, 2, 5, 4);
    backend.concat(List.of(x, y, x), 1);
    assertThat(device.launches()).hasSize(3);
    assertThat(device.launches().stream().map(l -> l.arg(6)).toList()).as("first element written per part")
        .containsExactly(0L, 12L, 32L);
    backend.broadcastTo(zeros(DType.FLOAT64, 3, 1), Shape.of(2, 3, 5));
    long[] words = (long[]) device.lastLaunch().arg(4);
    assertThat(java.util.Arrays.copyOf(words, 3)).containsExactly(2, 3, 5);
    assertThat(java.util.Arrays.copyOfRange(words, 8, 11)).containsExactly(0, 1, 0);
  }

  @Test
  void unfoldAndFoldLaunchOneThreadPerOutputWithTheImageAndWindow() {
    ConvGeometry window = new ConvGeometry(3, 2, 2, 1, 1, 0, 1, 2);
    NdArray patches = backend.unfold(zeros(DType.FLOAT32, 2, 3, 7, 6), window);
    assertThat(patches.shape()).isEqualTo(Shape.of(2, 4 * 4, 3 * 6));
    FakeDevice.Launch unfold = device.lastLaunch();
    assertThat(unfold.entry()).isEqualTo("vae_unfold_f32");
    assertThat(unfold.config()).isEqualTo(LaunchConfig.linear(2 * 16 * 18, 64));
    assertThat(unfold.args().list().subList(2, 16).stream().map(KernelArgs.Arg::value).toList())
        .containsExactly(2L * 16 * 18, 3, 7, 6, 4, 4, 3, 2, 2, 1, 1, 0, 1, 2);
    backend.fold(zeros(DType.FLOAT64, 2, 16, 18), Shape.of(2, 3, 7, 6), window);
    FakeDevice.Launch fold = device.lastLaunch();
    assertThat(fold.entry()).isEqualTo("vae_fold_f64");
    assertThat(fold.args().list().subList(2, 16).stream().map(KernelArgs.Arg::value).toList())
        .containsExactly(2L * 3 * 7 * 6, 3, 7, 6, 4, 4, 3, 2, 2, 1, 1, 0, 1, 2);
  }

  @Test
  void gatherAndScatterAddUploadTheirIndicesAndGiveTheBuffersBack() {
    NdArray x = zeros(DType.FLOAT32, 4, 3);
    long buffers = backend.pool().liveBuffers();
    backend.gather(x, new int[] {3, 3, 0});
    assertThat(device.lastLaunch().entry()).isEqualTo("vae_gather_rows_f32");
    DeviceBuffer indices = (DeviceBuffer) device.lastLaunch().arg(1);
    int[] uploaded = new int[3];
    device.toHost(indices, uploaded);
    assertThat(uploaded).containsExactly(3, 3, 0);
    backend.scatterAdd(x, new int[] {1, 0, 1, 1}, 2);
    FakeDevice.Launch scatter = device.lastLaunch();
    assertThat(scatter.entry()).isEqualTo("vae_scatter_add_f32");
    int[] plan = new int[7];
    device.toHost((DeviceBuffer) scatter.arg(1), plan);
    assertThat(plan).containsExactly(0, 1, 4, 1, 0, 2, 3);
    assertThat(backend.pool().liveBuffers()).as("two results stay, the index buffers went back").isEqualTo(buffers + 2);
  }

  @Test
  void randomDrawsPassSeedAndOffset() {
    backend.randomUniform(-1, (1L << 40) + 2, Shape.of(5), DType.FLOAT32);
    FakeDevice.Launch launch = device.lastLaunch();
    assertThat(launch.entry()).isEqualTo("vae_uniform_f32");
    assertThat(launch.args().list().stream().skip(1).map(KernelArgs.Arg::value).toList())
        .containsExactly(5L, -1L, (1L << 40) + 2);
    assertThatIllegalArgumentException().isThrownBy(() -> backend.randomNormal(1, -1, Shape.of(2), DType.FLOAT64))
        .withMessageContaining("non-negative");
  }

  @Test
  void softplusAndAdamAreOfferedBernoulliIsNot() {
    assertThat(backend.fused(FusedKernel.Softplus.class)).isPresent();
    assertThat(backend.fused(FusedKernel.BernoulliLogLikelihood.class)).isEmpty();
    FusedKernel.AdamUpdate adam = backend.fused(FusedKernel.AdamUpdate.class).orElseThrow();
    NdArray p = zeros(DType.FLOAT32, 10);
    adam.adamUpdate(p, zeros(DType.FLOAT32, 10), zeros(DType.FLOAT32, 10), zeros(DType.FLOAT32, 10), 1e-3, 0.9, 0.999,
        1e-8, 0, 2);
    FakeDevice.Launch launch = device.lastLaunch();
    assertThat(launch.entry()).isEqualTo("vae_adam_f32");
    assertThat((double) launch.arg(10)).isCloseTo(1 - 0.81, org.assertj.core.data.Offset.offset(1e-15));
    assertThatIllegalArgumentException().isThrownBy(() -> adam.adamUpdate(p, zeros(DType.FLOAT32, 9), p, p, 1, 0.9,
        0.9, 1e-8, 0, 1)).withMessageContaining("[9]");
    assertThatIllegalArgumentException().isThrownBy(() -> adam.adamUpdate(p, p, p, p, 1, 0.9, 0.9, 1e-8, 0, 0))
        .withMessageContaining("step");
  }

  // ---- checks happen before anything is allocated

  @Test
  void rejectedCallsAllocateNothing() {
    NdArray a = zeros(DType.FLOAT64, 2, 3);
    NdArray b = zeros(DType.FLOAT64, 4);
    NdArray f = zeros(DType.FLOAT32, 2, 3);
    long arrays = backend.liveArrays();
    long allocations = device.countingMemory().allocations();
    long buffers = backend.pool().liveBuffers();
    assertThatIllegalArgumentException().isThrownBy(() -> backend.binary(Op.ADD, a, b))
        .withMessageContaining("[2, 3]").withMessageContaining("[4]");
    assertThatIllegalArgumentException().isThrownBy(() -> backend.binary(Op.MUL, a, f))
        .withMessageContaining("FLOAT32").withMessageContaining("FLOAT64");
    assertThatIllegalArgumentException().isThrownBy(() -> backend.matmul(a, a, false, false));
    assertThatIllegalArgumentException().isThrownBy(() -> backend.reduce(Op.SUM, a, new int[] {2}, false))
        .withMessageContaining("[2, 3]");
    assertThatIllegalArgumentException().isThrownBy(() -> backend.gather(a, new int[] {2}));
    assertThatIllegalArgumentException().isThrownBy(() -> backend.cholesky(a)).withMessageContaining("[2, 3]");
    assertThatIllegalArgumentException().isThrownBy(() -> backend.unary(Op.ADD, a));
    assertThatIllegalArgumentException().isThrownBy(() -> backend.unfold(a, ConvGeometry.square(1, 1, 0)))
        .withMessageContaining("[2, 3]");
    assertThatIllegalArgumentException().isThrownBy(() -> backend.fold(a, Shape.of(1, 1, 2, 3),
        ConvGeometry.square(1, 1, 0))).withMessageContaining("[1, 6, 1]");
    assertThatIllegalArgumentException().isThrownBy(() -> backend.fromHost(new double[5], Shape.of(2, 3),
        DType.FLOAT64)).withMessageContaining("[2, 3]");
    assertThat(backend.liveArrays()).isEqualTo(arrays);
    assertThat(backend.pool().liveBuffers()).isEqualTo(buffers);
    assertThat(device.countingMemory().allocations()).isEqualTo(allocations);
  }

  @Test
  void freedAndForeignArraysAreRejected() {
    NdArray x = zeros(DType.FLOAT32, 2);
    x.close();
    assertThatIllegalStateException().isThrownBy(() -> backend.toDoubles(x)).withMessageContaining("freed");
    assertThatIllegalStateException().isThrownBy(() -> backend.unary(Op.EXP, x));
    NdArray foreign = new ReferenceBackend().full(Shape.of(2), DType.FLOAT32, 1);
    assertThatIllegalArgumentException().isThrownBy(() -> backend.unary(Op.EXP, foreign))
        .withMessageContaining("did not make");
    try (CudaBackend other = new CudaBackend(new FakeDevice(4))) {
      NdArray theirs = other.full(Shape.of(2), DType.FLOAT32, 1);
      assertThatIllegalArgumentException().isThrownBy(() -> backend.toDoubles(theirs));
    }
  }

  // ---- memory over a long run

  /** One step's worth of every kind of op, as a training step would make them. */
  private void step(NdArray weights, int step) {
    NdArray x = backend.fromHost(new float[64 * 20], Shape.of(64, 20));
    NdArray h = backend.matmul(x, weights, false, false);
    NdArray a = backend.unary(Op.TANH, backend.binary(Op.ADD, h, backend.full(Shape.of(16), DType.FLOAT32, 0.5f)));
    NdArray eps = backend.randomNormal(7, step * 1024L, a.shape(), DType.FLOAT32);
    NdArray z = backend.where(backend.binary(Op.LT, backend.full(Shape.scalar(), DType.FLOAT32, 0), eps), a, eps);
    NdArray loss = backend.reduce(Op.SUM, backend.fused(FusedKernel.Softplus.class).orElseThrow().softplus(z),
        new int[0], false);
    NdArray grad = backend.matmul(x, backend.broadcastTo(backend.reshape(loss, Shape.of(1, 1)), Shape.of(64, 16)),
        true, false);
    backend.scatterAdd(backend.gather(grad, new int[] {0, 3, 3}), new int[] {1, 0, 1}, 20);
    backend.concat(List.of(backend.permute(grad, new int[] {1, 0}), backend.slice(h, new int[] {0, 0},
        new int[] {16, 16})), 1);
    backend.cholesky(backend.full(Shape.of(2, 3, 3), DType.FLOAT32, 1));
    backend.triangularSolve(backend.full(Shape.of(3, 3), DType.FLOAT32, 1), backend.full(Shape.of(3, 2),
        DType.FLOAT32, 1), true, false);
    backend.toFloats(loss);
  }

  @Test
  void memoryStaysFlatOverManyScopedSteps() {
    NdArray weights = backend.fromHost(new float[20 * 16], Shape.of(20, 16));
    long arrays = backend.liveArrays();
    long buffers = backend.pool().liveBuffers();
    long reservedAfterFirstStep = -1;
    long allocationsAfterFirstStep = -1;
    for (int i = 0; i < 300; i++) {
      try (MemoryScope scope = backend.openScope()) {
        step(weights, i);
        assertThat(scope.size()).isGreaterThan(20);
      }
      assertThat(backend.liveArrays()).as("live arrays after step %d", i).isEqualTo(arrays);
      assertThat(backend.pool().liveBuffers()).as("live buffers after step %d", i).isEqualTo(buffers);
      if (i == 0) {
        reservedAfterFirstStep = backend.pool().reservedBytes();
        allocationsAfterFirstStep = device.countingMemory().allocations();
      } else {
        assertThat(backend.pool().reservedBytes()).as("reserved bytes after step %d", i)
            .isEqualTo(reservedAfterFirstStep);
        assertThat(device.countingMemory().allocations()).as("device allocations after step %d", i)
            .isEqualTo(allocationsAfterFirstStep);
      }
    }
    assertThat(device.countingMemory().frees()).as("nothing went back to the device mid-run").isZero();
    weights.close();
    assertThat(backend.liveArrays()).isEqualTo(arrays - 1);
  }

  @Test
  void closingTheBackendReturnsEvenArraysStillOpen() {
    NdArray kept = zeros(DType.FLOAT64, 100);
    try (MemoryScope scope = backend.openScope()) {
      zeros(DType.FLOAT32, 5);
    }
    assertThat(device.countingMemory().outstanding()).isEqualTo(2);
    backend.close();
    assertThat(device.countingMemory().outstanding()).isZero();
    kept.close();
    assertThat(backend.liveArrays()).isZero();
  }
}
