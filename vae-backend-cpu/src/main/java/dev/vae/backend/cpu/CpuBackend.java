package dev.vae.backend.cpu;

import dev.vae.api.ConvGeometry;
import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.FusedKernel.ValueAndSlope;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.api.backend.Philox;
import dev.vae.api.backend.ScopeStack;
import dev.vae.api.backend.ShapeRules;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The CPU backend: arrays in Java arrays ({@link CpuArray}), elementwise, movement and reduction
 * ops as loops C2 vectorises ({@link Elementwise}, {@link Layout}), threaded by one policy
 * ({@link Parallel}), products and factorisations through OpenBLAS ({@link Blas}), fused kernels
 * as loops of their own ({@link FusedLoops}), and storage recycled by size ({@link ArrayPool}).
 * The module's README describes the design and the measurements behind it.
 */
public final class CpuBackend implements Backend {
  private static final System.Logger LOG = System.getLogger(CpuBackend.class.getName());
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

  private final ScopeStack scopes = new ScopeStack();
  private final ArrayPool pool = ArrayPool.fromSystemProperty();
  private final Kernels kernels = new Kernels();

  /** Creates the backend, binding OpenBLAS on first use in this process. */
  public CpuBackend() {
    LOG.log(ANNOUNCED.getAndSet(true) ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, "cpu backend: Java "
        + "arrays, products by " + Blas.describe() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public MemoryScope openScope() {
    return scopes.open();
  }

  @Override
  public long liveArrays() {
    return scopes.liveArrays();
  }

  /** Times storage was allocated rather than recycled; flat once a run is warm. */
  long storageAllocations() {
    return pool.allocations();
  }

  @Override
  public void close() {
    pool.clear();
  }


  private static Object data(NdArray x) {
    if (!(x instanceof CpuArray array)) {
      throw new IllegalArgumentException("the cpu backend got an array it did not make: " + x);
    }
    return array.storage();
  }

  /** A new array of the given shape whose storage {@code body} fills; it joins the scope when filled. */
  private CpuArray compute(Shape shape, DType dtype, Consumer<Object> body) {
    Object storage = pool.take(dtype, shape.sizeAsInt());
    try {
      body.accept(storage);
    } catch (RuntimeException | Error e) {
      pool.give(storage);
      throw e;
    }
    return scopes.track(new CpuArray(shape, dtype, storage, pool));
  }


  @Override
  public NdArray fromHost(double[] data, Shape shape, DType dtype) {
    ShapeRules.hostData(data.length, shape);
    return compute(shape, dtype, z -> Layout.cast(data, z));
  }

  @Override
  public NdArray fromHost(float[] data, Shape shape) {
    ShapeRules.hostData(data.length, shape);
    return compute(shape, DType.FLOAT32, z -> Layout.cast(data, z));
  }

  @Override
  public NdArray full(Shape shape, DType dtype, double value) {
    return compute(shape, dtype, z -> Layout.fill(z, value));
  }

  @Override
  public double[] toDoubles(NdArray array) {
    double[] out = new double[array.shape().sizeAsInt()];
    Layout.cast(data(array), out);
    return out;
  }

  @Override
  public float[] toFloats(NdArray array) {
    float[] out = new float[array.shape().sizeAsInt()];
    Layout.cast(data(array), out);
    return out;
  }

  @Override
  public NdArray cast(NdArray x, DType dtype) {
    Object in = data(x);
    return compute(x.shape(), dtype, z -> Layout.cast(in, z));
  }


  @Override
  public NdArray unary(Op op, NdArray x) {
    op.requireKind(Op.Kind.UNARY);
    Object in = data(x);
    return compute(x.shape(), x.dtype(), z -> Elementwise.unary(op, in, z));
  }

  @Override
  public NdArray binary(Op op, NdArray a, NdArray b) {
    op.requireKind(Op.Kind.BINARY);
    Shape shape = ShapeRules.binary(op, a, b);
    Object x = data(a);
    Object y = data(b);
    BroadcastWalk walk = BroadcastWalk.of(shape, a.shape(), b.shape());
    return compute(shape, a.dtype(), z -> Elementwise.binary(op, walk, x, y, z));
  }

  @Override
  public NdArray where(NdArray condition, NdArray a, NdArray b) {
    Shape shape = ShapeRules.where(condition, a, b);
    Object c = data(condition);
    Object x = data(a);
    Object y = data(b);
    BroadcastWalk walk = BroadcastWalk.of(shape, condition.shape(), a.shape(), b.shape());
    return compute(shape, a.dtype(), z -> Elementwise.where(walk, c, x, y, z));
  }


  @Override
  public NdArray reduce(Op op, NdArray x, int[] axes, boolean keepDims) {
    op.requireKind(Op.Kind.REDUCE);
    int[] normalised = x.shape().normaliseAxes(axes);
    Object in = data(x);
    Shape kept = x.shape().reduce(normalised, true);
    BroadcastWalk walk = BroadcastWalk.of(x.shape(), x.shape(), kept);
    double[] accumulator = (double[]) pool.take(DType.FLOAT64, kept.sizeAsInt());
    try {
      Layout.reduce(op, walk, in, accumulator);
      return compute(x.shape().reduce(normalised, keepDims), x.dtype(), z -> Layout.cast(accumulator, z));
    } finally {
      pool.give(accumulator);
    }
  }


  @Override
  public NdArray matmul(NdArray a, NdArray b, boolean transposeA, boolean transposeB) {
    Shape shape = ShapeRules.matmul(a, b, transposeA, transposeB);
    Object x = data(a);
    Object y = data(b);
    int batches = shape.rank() == 3 ? shape.dim(0) : 1;
    int k = transposeA ? a.shape().dim(-2) : a.shape().dim(-1);
    return compute(shape, a.dtype(),
        z -> Blas.matmul(x, y, z, batches, shape.dim(-2), shape.dim(-1), k, transposeA, transposeB));
  }

  @Override
  public NdArray cholesky(NdArray a) {
    ShapeRules.requireSquare(Op.CHOLESKY, a);
    Object in = data(a);
    int n = a.shape().dim(-1);
    int batches = n == 0 ? 0 : a.shape().sizeAsInt() / (n * n);
    return compute(a.shape(), a.dtype(), z -> {
      System.arraycopy(in, 0, z, 0, a.shape().sizeAsInt());
      int failed = Blas.cholesky(z, batches, n);
      if (failed >= 0) {
        throw new IllegalArgumentException("CHOLESKY: the matrix at batch index " + failed + " of shape "
            + a.shape() + " is not positive definite");
      }
    });
  }

  @Override
  public NdArray triangularSolve(NdArray a, NdArray b, boolean lower, boolean transposeA) {
    Shape shape = ShapeRules.triangularSolve(a, b);
    Object t = data(a);
    Object rhs = data(b);
    int n = shape.dim(-2);
    int k = shape.dim(-1);
    int batches = n * k == 0 ? 0 : shape.sizeAsInt() / (n * k);
    return compute(shape, b.dtype(), z -> {
      System.arraycopy(rhs, 0, z, 0, shape.sizeAsInt());
      Blas.triangularSolve(t, z, batches, n, k, lower, transposeA);
    });
  }


  @Override
  public NdArray reshape(NdArray x, Shape shape) {
    ShapeRules.reshape(x, shape);
    Object in = data(x);
    return compute(shape, x.dtype(), z -> System.arraycopy(in, 0, z, 0, shape.sizeAsInt()));
  }

  @Override
  public NdArray permute(NdArray x, int[] permutation) {
    Shape shape = ShapeRules.permute(x, permutation);
    int[] inStrides = x.shape().strides();
    int[] strides = new int[permutation.length];
    for (int i = 0; i < strides.length; i++) {
      strides[i] = inStrides[permutation[i]];
    }
    Object in = data(x);
    return compute(shape, x.dtype(), z -> Layout.gatherStrided(in, 0, strides, shape, z));
  }

  @Override
  public NdArray slice(NdArray x, int[] start, int[] end) {
    Shape shape = ShapeRules.slice(x, start, end);
    int[] strides = x.shape().strides();
    int first = 0;
    for (int i = 0; i < strides.length; i++) {
      first += start[i] * strides[i];
    }
    Object in = data(x);
    int offset = first;
    return compute(shape, x.dtype(), z -> Layout.gatherStrided(in, offset, strides, shape, z));
  }

  @Override
  public NdArray concat(List<NdArray> parts, int axis) {
    Shape shape = ShapeRules.concat(parts, axis);
    int ax = shape.normaliseAxis(axis);
    int outer = 1;
    for (int i = 0; i < ax; i++) {
      outer *= shape.dim(i);
    }
    int inner = shape.sizeAsInt() == 0 ? 0 : shape.sizeAsInt() / outer / shape.dim(ax);
    Object[] inputs = parts.stream().map(CpuBackend::data).toArray();
    int blocks = outer;
    return compute(shape, parts.get(0).dtype(), z -> {
      int rowLength = shape.dim(ax) * inner;
      int offset = 0;
      for (int p = 0; p < inputs.length; p++) {
        int chunk = parts.get(p).shape().dim(ax) * inner;
        for (int o = 0; o < blocks; o++) {
          System.arraycopy(inputs[p], o * chunk, z, o * rowLength + offset, chunk);
        }
        offset += chunk;
      }
    });
  }

  @Override
  public NdArray broadcastTo(NdArray x, Shape shape) {
    ShapeRules.broadcastTo(x, shape);
    Object in = data(x);
    BroadcastWalk walk = BroadcastWalk.of(shape, x.shape());
    return compute(shape, x.dtype(), z -> Layout.broadcast(walk, in, z));
  }

  @Override
  public NdArray gather(NdArray x, int[] rows) {
    Shape shape = ShapeRules.gather(x, rows);
    Object in = data(x);
    int rowLength = x.shape().dim(0) == 0 ? 0 : x.shape().sizeAsInt() / x.shape().dim(0);
    return compute(shape, x.dtype(), z -> Layout.gather(in, rows, rowLength, z));
  }

  @Override
  public NdArray scatterAdd(NdArray updates, int[] indices, int rows) {
    Shape shape = ShapeRules.scatterAdd(updates, indices, rows);
    Object in = data(updates);
    int rowLength = rows == 0 ? 0 : shape.sizeAsInt() / rows;
    return compute(shape, updates.dtype(), z -> Layout.scatterAdd(in, indices, rowLength, z));
  }


  @Override
  public NdArray unfold(NdArray x, ConvGeometry window) {
    Shape shape = ShapeRules.unfold(x, window);
    Object in = data(x);
    return compute(shape, x.dtype(), z -> Patches.unfold(in, x.shape(), window, z));
  }

  @Override
  public NdArray fold(NdArray patches, Shape imageShape, ConvGeometry window) {
    ShapeRules.fold(patches, imageShape, window);
    Object in = data(patches);
    return compute(imageShape, patches.dtype(), z -> Patches.fold(in, imageShape, window, z));
  }


  @Override
  public NdArray randomUniform(long seed, long offset, Shape shape, DType dtype) {
    ShapeRules.requireStreamOffset(offset);
    return compute(shape, dtype, z -> {
      if (z instanceof float[] f) {
        Philox.uniformFloats(seed, offset, f);
      } else {
        Philox.uniformDoubles(seed, offset, (double[]) z);
      }
    });
  }

  @Override
  public NdArray randomNormal(long seed, long offset, Shape shape, DType dtype) {
    ShapeRules.requireStreamOffset(offset);
    return compute(shape, dtype, z -> {
      double[] normals = z instanceof double[] d ? d : (double[]) pool.take(DType.FLOAT64, shape.sizeAsInt());
      Philox.normals(seed, offset, normals);
      if (normals != z) {
        Layout.cast(normals, z);
        pool.give(normals);
      }
    });
  }


  @Override
  public <K extends FusedKernel> Optional<K> fused(Class<K> kind) {
    return kind.isInstance(kernels) ? Optional.of(kind.cast(kernels)) : Optional.empty();
  }

  /** Every fused kernel, each a loop of {@link FusedLoops}. */
  private final class Kernels implements FusedKernel.Softplus, FusedKernel.SoftplusWithSlope,
      FusedKernel.BernoulliLogLikelihood, FusedKernel.AdamUpdate {
    @Override
    public NdArray softplus(NdArray x) {
      Object in = data(x);
      return compute(x.shape(), x.dtype(), z -> FusedLoops.softplus(in, z, null));
    }

    @Override
    public ValueAndSlope softplusWithSlope(NdArray x) {
      Object in = data(x);
      CpuArray slope = compute(x.shape(), x.dtype(), z -> {});
      return new ValueAndSlope(compute(x.shape(), x.dtype(), z -> FusedLoops.softplus(in, z, slope.storage())), slope);
    }

    @Override
    public ValueAndSlope bernoulliLogLikelihood(NdArray x, NdArray logits) {
      ShapeRules.bernoulliLogLikelihood(x, logits);
      Object t = data(x);
      Object eta = data(logits);
      int rows = logits.shape().dim(0);
      int dims = logits.shape().dim(1);
      CpuArray slope = compute(logits.shape(), x.dtype(), z -> {});
      CpuArray sums = compute(Shape.of(rows), x.dtype(),
          z -> FusedLoops.bernoulli(t, eta, slope.storage(), z, rows, dims));
      return new ValueAndSlope(sums, slope);
    }

    @Override
    public void adamUpdate(NdArray param, NdArray grad, NdArray m, NdArray v,
        double lr, double beta1, double beta2, double eps, double weightDecay, long step) {
      for (NdArray other : List.of(grad, m, v)) {
        if (!other.shape().equals(param.shape()) || other.dtype() != param.dtype()) {
          throw new IllegalArgumentException("ADAM: param is " + param.shape() + " " + param.dtype()
              + " but another operand is " + other.shape() + " " + other.dtype());
        }
      }
      if (step < 1) {
        throw new IllegalArgumentException("ADAM: step counts from 1, got " + step);
      }
      FusedLoops.adam(data(param), data(grad), data(m), data(v),
          new FusedLoops.AdamStep(lr, beta1, beta2, eps, weightDecay, step));
    }
  }
}
