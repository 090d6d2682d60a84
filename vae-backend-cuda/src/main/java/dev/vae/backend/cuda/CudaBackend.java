package dev.vae.backend.cuda;

import dev.vae.api.ConvGeometry;
import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.api.backend.ScopeStack;
import dev.vae.api.backend.ShapeRules;
import java.util.List;
import java.util.Optional;

/**
 * The backend SPI on an NVIDIA GPU through the CUDA driver API: every array lives in device memory,
 * every op is a kernel of this module's PTX (or a cuBLAS call for matrix products, when cuBLAS
 * loads), and data crosses to the host only in {@code fromHost}, {@code toDoubles} and
 * {@code toFloats}, plus one status word per matrix that {@code cholesky} reads back to report a
 * matrix that is not positive definite.
 *
 * <p>Memory follows the SPI's scopes: each array takes a buffer from a caching pool and gives it
 * back when its scope closes, so a run of identical steps allocates from the device only in its
 * first step and holds a flat amount of memory afterwards. All work goes to one stream, in order.
 *
 * <p>Results follow the reference backend's conventions (see {@link Backend}); float32 ops compute
 * in float except the gamma family, the normal random numbers and the Adam update, which compute in
 * double and round once. Shapes whose axes, after merging contiguous neighbours, number more than
 * eight are rejected with a message saying so. {@code gather} and {@code scatterAdd} upload their
 * host indices on each call (scatter-add as a plan grouped by target row, so it needs no atomics
 * and is deterministic). {@code fold} is deterministic too: each pixel sums the patch elements that
 * {@code unfold} read from it.
 */
public final class CudaBackend implements Backend {
  private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());

  private final Device device;
  private final BufferPool pool;
  private final Optional<Gemm> gemm;
  private final ScopeStack scopes = new ScopeStack();
  private final Fused fused = new Fused();
  private boolean closed;

  CudaBackend(Device device) {
    this.device = device;
    this.pool = new BufferPool(device.memory());
    this.gemm = device.gemm();
  }

  /**
   * Opens the GPU chosen by the system property {@code vae.cuda.device} (or the environment
   * variable {@code VAE_CUDA_DEVICE}; device 0 by default), loading the CUDA driver through JCuda.
   *
   * @throws IllegalStateException if the driver or the device cannot be used, saying why
   */
  public static CudaBackend open() {
    DriverDevice device;
    try {
      device = DriverDevice.open(CudaOptions.fromSystem());
    } catch (LinkageError e) {
      throw new IllegalStateException("the CUDA driver could not be loaded through JCuda: " + CudaProbe.summary(e), e);
    }
    CudaBackend backend = new CudaBackend(device);
    LOG.log(System.Logger.Level.INFO, "CUDA backend on " + backend.description());
    return backend;
  }

  /** The device and how matrix products run on it, in words. */
  public String description() {
    return device.description() + "; matrix products by "
        + gemm.map(Gemm::description).orElse("the backend's own tiled kernel");
  }

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public MemoryScope openScope() {
    return scopes.open();
  }

  @Override
  public long liveArrays() {
    return scopes.liveArrays();
  }

  /** The memory pool, whose counts host and device tests watch. */
  BufferPool pool() {
    return pool;
  }

  // ---- helpers

  private CudaArray make(Shape shape, DType dtype) {
    return scopes.track(new CudaArray(shape, dtype, pool));
  }

  private CudaArray in(NdArray x) {
    if (!(x instanceof CudaArray array) || !array.belongsTo(pool)) {
      throw new IllegalArgumentException("the CUDA backend got an array it did not make: " + x);
    }
    array.requireOpen();
    return array;
  }

  /** Launches a grid-stride kernel over n elements; nothing when n is 0. */
  private void linear(Kernel kernel, DType dtype, long n, KernelArgs args) {
    if (n > 0) {
      device.launch(kernel, dtype, LaunchConfig.linear(n, device.maxBlocks()), args);
    }
  }

  /** Copies x into out through a strided layout of {read strides, write strides}. */
  private void copyStrided(CudaArray x, CudaArray out, Layout layout, long firstIn, long firstOut) {
    long n = layout.size();
    linear(Kernel.COPY_STRIDED, out.dtype(), n, new KernelArgs().pointer(x.buffer()).pointer(out.buffer()).i64(n)
        .i32(layout.rank()).layout(layout.packed()).i64(firstIn).i64(firstOut));
  }


  // ---- allocation and host transfer

  @Override
  public NdArray fromHost(double[] data, Shape shape, DType dtype) {
    ShapeRules.hostData(data.length, shape);
    CudaArray out = make(shape, dtype);
    if (data.length > 0) {
      if (dtype == DType.FLOAT64) {
        device.toDevice(out.buffer(), data);
      } else {
        float[] floats = new float[data.length];
        for (int i = 0; i < data.length; i++) {
          floats[i] = (float) data[i];
        }
        device.toDevice(out.buffer(), floats);
      }
    }
    return out;
  }

  @Override
  public NdArray fromHost(float[] data, Shape shape) {
    ShapeRules.hostData(data.length, shape);
    CudaArray out = make(shape, DType.FLOAT32);
    if (data.length > 0) {
      device.toDevice(out.buffer(), data);
    }
    return out;
  }

  @Override
  public NdArray full(Shape shape, DType dtype, double value) {
    CudaArray out = make(shape, dtype);
    linear(Kernel.FILL, dtype, out.size(),
        new KernelArgs().pointer(out.buffer()).i64(out.size()).scalar(dtype, value));
    return out;
  }

  @Override
  public double[] toDoubles(NdArray array) {
    CudaArray a = in(array);
    double[] out = new double[a.shape().sizeAsInt()];
    if (out.length == 0) {
      return out;
    }
    if (a.dtype() == DType.FLOAT64) {
      device.toHost(a.buffer(), out);
    } else {
      float[] floats = new float[out.length];
      device.toHost(a.buffer(), floats);
      for (int i = 0; i < out.length; i++) {
        out[i] = floats[i];
      }
    }
    return out;
  }

  @Override
  public float[] toFloats(NdArray array) {
    CudaArray a = in(array);
    float[] out = new float[a.shape().sizeAsInt()];
    if (out.length == 0) {
      return out;
    }
    if (a.dtype() == DType.FLOAT32) {
      device.toHost(a.buffer(), out);
    } else {
      double[] doubles = new double[out.length];
      device.toHost(a.buffer(), doubles);
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) doubles[i];
      }
    }
    return out;
  }

  @Override
  public NdArray cast(NdArray x, DType dtype) {
    CudaArray a = in(x);
    CudaArray out = make(a.shape(), dtype);
    if (a.size() == 0) {
      return out;
    }
    if (a.dtype() == dtype) {
      device.copy(out.buffer(), a.buffer(), a.bytes());
    } else {
      Kernel kernel = dtype == DType.FLOAT64 ? Kernel.CAST_F32_TO_F64 : Kernel.CAST_F64_TO_F32;
      linear(kernel, null, a.size(), new KernelArgs().pointer(a.buffer()).pointer(out.buffer()).i64(a.size()));
    }
    return out;
  }

  // ---- elementwise

  @Override
  public NdArray unary(Op op, NdArray x) {
    op.requireKind(Op.Kind.UNARY);
    CudaArray a = in(x);
    CudaArray out = make(a.shape(), a.dtype());
    linear(Kernel.UNARY, a.dtype(), a.size(), new KernelArgs().pointer(a.buffer()).pointer(out.buffer())
        .i64(a.size()).i32(KernelAbi.unaryCode(op)));
    return out;
  }

  @Override
  public NdArray binary(Op op, NdArray a, NdArray b) {
    Shape shape = ShapeRules.binary(op, a, b);
    CudaArray x = in(a);
    CudaArray y = in(b);
    Layout layout = Layout.broadcast(shape, a.shape(), b.shape());
    CudaArray out = make(shape, a.dtype());
    linear(Kernel.BINARY, a.dtype(), out.size(), new KernelArgs().pointer(x.buffer()).pointer(y.buffer())
        .pointer(out.buffer()).i64(out.size()).i32(layout.rank()).layout(layout.packed()).i32(KernelAbi.binaryCode(op)));
    return out;
  }

  @Override
  public NdArray where(NdArray condition, NdArray a, NdArray b) {
    Shape shape = ShapeRules.where(condition, a, b);
    CudaArray c = in(condition);
    CudaArray x = in(a);
    CudaArray y = in(b);
    Layout layout = Layout.broadcast(shape, condition.shape(), a.shape(), b.shape());
    CudaArray out = make(shape, a.dtype());
    linear(Kernel.WHERE, a.dtype(), out.size(), new KernelArgs().pointer(c.buffer()).pointer(x.buffer())
        .pointer(y.buffer()).pointer(out.buffer()).i64(out.size()).i32(layout.rank()).layout(layout.packed()));
    return out;
  }

  // ---- reductions

  @Override
  public NdArray reduce(Op op, NdArray x, int[] axes, boolean keepDims) {
    op.requireKind(Op.Kind.REDUCE);
    CudaArray a = in(x);
    int[] normalised = x.shape().normaliseAxes(axes);
    ReduceLayout layout = ReduceLayout.of(x.shape(), normalised);
    CudaArray out = make(x.shape().reduce(normalised, keepDims), x.dtype());
    long outputs = layout.outputs();
    if (outputs == 0) {
      return out;
    }
    KernelArgs args = new KernelArgs().pointer(a.buffer()).pointer(out.buffer()).i64(outputs).i64(layout.count())
        .i32(layout.keptRank()).i32(layout.reducedRank()).layout(layout.packed()).i32(KernelAbi.reduceCode(op));
    if (layout.blockPerOutput()) {
      device.launch(Kernel.REDUCE_BLOCK, x.dtype(),
          LaunchConfig.blockPerItem(outputs, KernelAbi.REDUCE_BLOCK, LaunchConfig.MAX_GRID_X), args);
    } else {
      linear(Kernel.REDUCE_THREAD, x.dtype(), outputs, args);
    }
    return out;
  }

  // ---- linear algebra

  @Override
  public NdArray matmul(NdArray a, NdArray b, boolean transposeA, boolean transposeB) {
    Shape shape = ShapeRules.matmul(a, b, transposeA, transposeB);
    CudaArray x = in(a);
    CudaArray y = in(b);
    CudaArray out = make(shape, a.dtype());
    if (out.size() == 0) {
      return out;
    }
    int batch = shape.rank() == 3 ? shape.dim(0) : 1;
    int m = shape.dim(-2);
    int n = shape.dim(-1);
    int k = transposeA ? a.shape().dim(-2) : a.shape().dim(-1);
    if (k == 0) {
      linear(Kernel.FILL, out.dtype(), out.size(), new KernelArgs().pointer(out.buffer()).i64(out.size())
          .scalar(out.dtype(), 0));
    } else if (gemm.isPresent()) {
      gemm.get().multiply(out.dtype(), x.buffer(), y.buffer(), out.buffer(), batch, m, n, k, transposeA, transposeB);
    } else {
      device.launch(Kernel.GEMM, out.dtype(), LaunchConfig.gemm(batch, m, n, KernelAbi.GEMM_TILE),
          new KernelArgs().pointer(x.buffer()).pointer(y.buffer()).pointer(out.buffer()).i32(batch).i32(m).i32(n)
              .i32(k).flag(transposeA).flag(transposeB));
    }
    return out;
  }

  @Override
  public NdArray cholesky(NdArray a) {
    ShapeRules.requireSquare(Op.CHOLESKY, a);
    CudaArray x = in(a);
    int n = a.shape().dim(-1);
    CudaArray out = make(a.shape(), a.dtype());
    if (out.size() == 0) {
      return out;
    }
    int batches = Math.toIntExact(out.size() / ((long) n * n));
    DeviceBuffer info = pool.take(4L * batches);
    DeviceBuffer pivots = pool.take((long) batches * a.dtype().bytes());
    try {
      device.launch(Kernel.CHOLESKY, a.dtype(),
          LaunchConfig.blockPerItem(batches, LaunchConfig.matrixBlock(n), LaunchConfig.MAX_GRID_X),
          new KernelArgs().pointer(x.buffer()).pointer(out.buffer()).i32(batches).i32(n).pointer(info)
              .pointer(pivots));
      int[] status = new int[batches];
      device.toHost(info, status);
      for (int batch = 0; batch < batches; batch++) {
        if (status[batch] != 0) {
          double pivot = pivotAt(pivots, a.dtype(), batches, batch);
          out.close();
          throw new IllegalArgumentException("CHOLESKY: the matrix at batch index " + batch + " of shape "
              + a.shape() + " is not positive definite (pivot " + (status[batch] - 1) + " is " + pivot + ")");
        }
      }
    } finally {
      pool.give(info);
      pool.give(pivots);
    }
    return out;
  }

  private double pivotAt(DeviceBuffer pivots, DType dtype, int batches, int batch) {
    if (dtype == DType.FLOAT64) {
      double[] values = new double[batches];
      device.toHost(pivots, values);
      return values[batch];
    }
    float[] values = new float[batches];
    device.toHost(pivots, values);
    return values[batch];
  }

  @Override
  public NdArray triangularSolve(NdArray a, NdArray b, boolean lower, boolean transposeA) {
    Shape shape = ShapeRules.triangularSolve(a, b);
    CudaArray t = in(a);
    CudaArray rhs = in(b);
    CudaArray out = make(shape, b.dtype());
    if (out.size() == 0) {
      return out;
    }
    int n = shape.dim(-2);
    int k = shape.dim(-1);
    int batches = Math.toIntExact(out.size() / ((long) n * k));
    device.launch(Kernel.TRIANGULAR_SOLVE, b.dtype(),
        LaunchConfig.blockPerItem(batches, LaunchConfig.matrixBlock(k), LaunchConfig.MAX_GRID_X),
        new KernelArgs().pointer(t.buffer()).pointer(rhs.buffer()).pointer(out.buffer()).i32(batches).i32(n).i32(k)
            .flag(lower).flag(transposeA));
    return out;
  }

  // ---- movement

  @Override
  public NdArray reshape(NdArray x, Shape shape) {
    ShapeRules.reshape(x, shape);
    CudaArray a = in(x);
    CudaArray out = make(shape, a.dtype());
    if (a.size() > 0) {
      device.copy(out.buffer(), a.buffer(), a.bytes());
    }
    return out;
  }

  @Override
  public NdArray permute(NdArray x, int[] permutation) {
    Shape shape = ShapeRules.permute(x, permutation);
    CudaArray a = in(x);
    long[] inStrides = Layout.contiguousStrides(x.shape());
    long[] read = new long[permutation.length];
    for (int i = 0; i < read.length; i++) {
      read[i] = inStrides[permutation[i]];
    }
    Layout layout = Layout.of(Layout.dims(shape), read, Layout.contiguousStrides(shape));
    CudaArray out = make(shape, a.dtype());
    copyStrided(a, out, layout, 0, 0);
    return out;
  }

  @Override
  public NdArray slice(NdArray x, int[] start, int[] end) {
    Shape shape = ShapeRules.slice(x, start, end);
    CudaArray a = in(x);
    long[] strides = Layout.contiguousStrides(x.shape());
    long first = 0;
    for (int i = 0; i < strides.length; i++) {
      first += start[i] * strides[i];
    }
    Layout layout = Layout.of(Layout.dims(shape), strides, Layout.contiguousStrides(shape));
    CudaArray out = make(shape, a.dtype());
    copyStrided(a, out, layout, first, 0);
    return out;
  }

  @Override
  public NdArray concat(List<NdArray> parts, int axis) {
    Shape shape = ShapeRules.concat(parts, axis);
    int ax = shape.normaliseAxis(axis);
    CudaArray[] inputs = new CudaArray[parts.size()];
    Layout[] layouts = new Layout[parts.size()];
    long[] outStrides = Layout.contiguousStrides(shape);
    for (int p = 0; p < inputs.length; p++) {
      inputs[p] = in(parts.get(p));
      Shape partShape = parts.get(p).shape();
      layouts[p] = Layout.of(Layout.dims(partShape), Layout.contiguousStrides(partShape), outStrides);
    }
    CudaArray out = make(shape, parts.get(0).dtype());
    long offset = 0;
    for (int p = 0; p < inputs.length; p++) {
      copyStrided(inputs[p], out, layouts[p], 0, offset * outStrides[ax]);
      offset += parts.get(p).shape().dim(ax);
    }
    return out;
  }

  @Override
  public NdArray broadcastTo(NdArray x, Shape shape) {
    ShapeRules.broadcastTo(x, shape);
    CudaArray a = in(x);
    Layout layout = Layout.of(Layout.dims(shape), Layout.broadcastStrides(x.shape(), shape),
        Layout.contiguousStrides(shape));
    CudaArray out = make(shape, a.dtype());
    copyStrided(a, out, layout, 0, 0);
    return out;
  }

  @Override
  public NdArray gather(NdArray x, int[] rows) {
    Shape shape = ShapeRules.gather(x, rows);
    CudaArray a = in(x);
    CudaArray out = make(shape, a.dtype());
    if (out.size() == 0) {
      return out;
    }
    long rowLength = a.size() / x.shape().dim(0);
    DeviceBuffer indices = pool.take(4L * rows.length);
    try {
      device.toDevice(indices, rows);
      linear(Kernel.GATHER_ROWS, a.dtype(), out.size(), new KernelArgs().pointer(a.buffer()).pointer(indices)
          .pointer(out.buffer()).i64(rows.length).i64(rowLength));
    } finally {
      pool.give(indices);
    }
    return out;
  }

  @Override
  public NdArray scatterAdd(NdArray updates, int[] indices, int rows) {
    Shape shape = ShapeRules.scatterAdd(updates, indices, rows);
    CudaArray u = in(updates);
    CudaArray out = make(shape, u.dtype());
    if (out.size() == 0) {
      return out;
    }
    long rowLength = out.size() / rows;
    int[] plan = ScatterPlan.of(indices, rows);
    DeviceBuffer planBuffer = pool.take(4L * plan.length);
    try {
      device.toDevice(planBuffer, plan);
      linear(Kernel.SCATTER_ADD, u.dtype(), out.size(), new KernelArgs().pointer(u.buffer()).pointer(planBuffer)
          .pointer(out.buffer()).i64(rows).i64(rowLength));
    } finally {
      pool.give(planBuffer);
    }
    return out;
  }

  @Override
  public NdArray unfold(NdArray x, ConvGeometry window) {
    Shape shape = ShapeRules.unfold(x, window);
    CudaArray a = in(x);
    CudaArray out = make(shape, a.dtype());
    launchPatches(Kernel.UNFOLD, a, out, x.shape(), window);
    return out;
  }

  @Override
  public NdArray fold(NdArray patches, Shape imageShape, ConvGeometry window) {
    ShapeRules.fold(patches, imageShape, window);
    CudaArray p = in(patches);
    CudaArray out = make(imageShape, p.dtype());
    launchPatches(Kernel.FOLD, p, out, imageShape, window);
    return out;
  }

  /** Launches UNFOLD or FOLD, one thread per element of out, for images of the given shape. */
  private void launchPatches(Kernel kernel, CudaArray x, CudaArray out, Shape images, ConvGeometry g) {
    int height = images.dim(2);
    int width = images.dim(3);
    linear(kernel, out.dtype(), out.size(), new KernelArgs().pointer(x.buffer()).pointer(out.buffer())
        .i64(out.size()).i32(images.dim(1)).i32(height).i32(width).i32(g.outputHeight(height))
        .i32(g.outputWidth(width)).i32(g.kernelHeight()).i32(g.kernelWidth()).i32(g.strideHeight())
        .i32(g.strideWidth()).i32(g.paddingHeight()).i32(g.paddingWidth()).i32(g.dilationHeight())
        .i32(g.dilationWidth()));
  }

  // ---- random numbers

  @Override
  public NdArray randomUniform(long seed, long offset, Shape shape, DType dtype) {
    ShapeRules.requireStreamOffset(offset);
    CudaArray out = make(shape, dtype);
    linear(Kernel.UNIFORM, dtype, out.size(),
        new KernelArgs().pointer(out.buffer()).i64(out.size()).i64(seed).i64(offset));
    return out;
  }

  @Override
  public NdArray randomNormal(long seed, long offset, Shape shape, DType dtype) {
    ShapeRules.requireStreamOffset(offset);
    CudaArray out = make(shape, dtype);
    linear(Kernel.NORMAL, dtype, out.size(),
        new KernelArgs().pointer(out.buffer()).i64(out.size()).i64(seed).i64(offset));
    return out;
  }

  // ---- fused kernels

  @Override
  public <K extends FusedKernel> Optional<K> fused(Class<K> kind) {
    return kind.isInstance(fused) ? Optional.of(kind.cast(fused)) : Optional.empty();
  }

  /** Softplus and the Adam update, each one kernel. */
  private final class Fused implements FusedKernel.Softplus, FusedKernel.AdamUpdate {
    @Override
    public NdArray softplus(NdArray x) {
      CudaArray a = in(x);
      CudaArray out = make(a.shape(), a.dtype());
      linear(Kernel.SOFTPLUS, a.dtype(), a.size(),
          new KernelArgs().pointer(a.buffer()).pointer(out.buffer()).i64(a.size()));
      return out;
    }

    @Override
    public void adamUpdate(NdArray param, NdArray grad, NdArray m, NdArray v, double lr, double beta1, double beta2,
        double eps, double weightDecay, long step) {
      for (NdArray other : List.of(grad, m, v)) {
        if (!other.shape().equals(param.shape()) || other.dtype() != param.dtype()) {
          throw new IllegalArgumentException("ADAM: param is " + param.shape() + " " + param.dtype()
              + " but another operand is " + other.shape() + " " + other.dtype());
        }
      }
      if (step < 1) {
        throw new IllegalArgumentException("ADAM: step counts from 1, got " + step);
      }
      CudaArray p = in(param);
      CudaArray g = in(grad);
      CudaArray first = in(m);
      CudaArray second = in(v);
      double correction1 = 1 - Math.pow(beta1, step);
      double correction2 = 1 - Math.pow(beta2, step);
      linear(Kernel.ADAM, p.dtype(), p.size(), new KernelArgs().pointer(p.buffer()).pointer(g.buffer())
          .pointer(first.buffer()).pointer(second.buffer()).i64(p.size()).f64(lr).f64(beta1).f64(beta2).f64(eps)
          .f64(weightDecay).f64(correction1).f64(correction2));
    }
  }

  /** Returns the device memory (arrays still open must not be used afterwards) and the device. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        pool.close();
      } finally {
        device.close();
      }
    }
  }
}
