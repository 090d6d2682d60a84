package dev.vae.api.testkit;

import dev.vae.api.ConvGeometry;
import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.AbstractNdArray;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.FusedKernel.ValueAndSlope;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.api.backend.Philox;
import dev.vae.api.backend.ScopeStack;
import dev.vae.api.backend.ShapeRules;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The executable specification of {@link Backend}: a small, slow, plain-Java implementation that
 * every other backend is compared with by {@link BackendContractSuite}. It computes in float64;
 * float32 arrays store every result rounded to float, so they behave like a float32 backend that
 * rounds each op correctly.
 *
 * <p>Decisions beyond the {@link Backend} contract that other backends must follow:
 * <ul>
 *   <li>MAX, MIN and REDUCE_MAX propagate NaN (numpy's {@code maximum}, not C's {@code fmax});
 *       comparisons with NaN are 0; WHERE treats a NaN condition as non-zero.
 *   <li>POW follows C99 {@code pow} (as numpy and CUDA do), not {@link Math#pow}: pow(1, y) = 1 and
 *       pow(−1, ±∞) = 1, even for NaN y.
 *   <li>SIGN is {@link Math#signum}: sign(±0) = ±0, sign(NaN) = NaN. SIGMOID is 1 / (1 + e^−x) in
 *       a form that never overflows, so sigmoid(±∞) = 1 and 0.
 *   <li>LGAMMA, DIGAMMA and TRIGAMMA follow scipy at their poles; see {@link SpecialFunctions}.
 *   <li>CHOLESKY reads only the lower triangle, writes exact zeros above the diagonal, and fails on
 *       the first pivot that is not {@code > 0} (NaN included) with "batch index N" in the message.
 *       TRIANGULAR_SOLVE reads only the triangle it is told about; a zero on the diagonal gives
 *       infinities or NaN, not an error.
 *   <li>Uniform float32 numbers are {@link Philox#uniformFloats}; float64 ones
 *       {@link Philox#uniformDouble}; normals are {@link Philox#normal}, rounded to float for float32.
 * </ul>
 *
 * <p>It offers every {@link FusedKernel}, computed directly rather than by composition, so that the
 * kernel contract suites run against it; {@link #withoutFusedKernels()} offers none and
 * {@link #withFusedKernelsExcept} all but one.
 */
public final class ReferenceBackend implements Backend {
  private final ScopeStack scopes = new ScopeStack();
  private final Predicate<Class<?>> offers;

  /** A reference backend that offers every fused kernel. */
  public ReferenceBackend() {
    this(kind -> true);
  }

  private ReferenceBackend(Predicate<Class<?>> offers) {
    this.offers = offers;
  }

  /** A reference backend with no fused kernels, for testing the core's fallback compositions. */
  public static ReferenceBackend withoutFusedKernels() {
    return new ReferenceBackend(kind -> false);
  }

  /**
   * A reference backend offering every fused kernel but {@code missing}, for testing how the core
   * uses the others alone (a backend with a fused softplus but no softplus with slope, say).
   */
  public static ReferenceBackend withFusedKernelsExcept(Class<? extends FusedKernel> missing) {
    return new ReferenceBackend(kind -> kind != missing);
  }

  /** The reference's storage: row-major doubles, rounded to float for float32 arrays. */
  private static final class RefArray extends AbstractNdArray {
    private double[] data;

    RefArray(Shape shape, DType dtype, double[] data) {
      super(shape, dtype);
      this.data = data;
    }

    @Override
    protected void release() {
      data = null;
    }
  }

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public MemoryScope openScope() {
    return scopes.open();
  }

  @Override
  public long liveArrays() {
    return scopes.liveArrays();
  }

  // ---- storage helpers

  /** A new array owning {@code values}, rounded to float first when the dtype is float32. */
  private NdArray make(Shape shape, DType dtype, double[] values) {
    if (dtype == DType.FLOAT32) {
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) values[i];
      }
    }
    return scopes.track(new RefArray(shape, dtype, values));
  }

  /** The elements of an open array made by this class; never to be modified. */
  private static double[] data(NdArray x) {
    if (!(x instanceof RefArray ref)) {
      throw new IllegalArgumentException("the reference backend got an array it did not make: " + x);
    }
    ref.requireOpen();
    return ref.data;
  }

  private static double roundTo(DType dtype, double value) {
    return dtype == DType.FLOAT32 ? (float) value : value;
  }

  // ---- allocation and host transfer

  @Override
  public NdArray fromHost(double[] data, Shape shape, DType dtype) {
    ShapeRules.hostData(data.length, shape);
    return make(shape, dtype, data.clone());
  }

  @Override
  public NdArray fromHost(float[] data, Shape shape) {
    ShapeRules.hostData(data.length, shape);
    double[] values = new double[data.length];
    for (int i = 0; i < data.length; i++) {
      values[i] = data[i];
    }
    return make(shape, DType.FLOAT32, values);
  }

  @Override
  public NdArray full(Shape shape, DType dtype, double value) {
    double[] values = new double[shape.sizeAsInt()];
    Arrays.fill(values, value);
    return make(shape, dtype, values);
  }

  @Override
  public double[] toDoubles(NdArray array) {
    return data(array).clone();
  }

  @Override
  public float[] toFloats(NdArray array) {
    double[] values = data(array);
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  @Override
  public NdArray cast(NdArray x, DType dtype) {
    return make(x.shape(), dtype, data(x).clone());
  }

  // ---- elementwise

  @Override
  public NdArray unary(Op op, NdArray x) {
    op.requireKind(Op.Kind.UNARY);
    double[] in = data(x);
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = unary(op, in[i]);
    }
    return make(x.shape(), x.dtype(), out);
  }

  /** One element of a unary op, in float64. */
  static double unary(Op op, double x) {
    return switch (op) {
      case NEG -> -x;
      case EXP -> Math.exp(x);
      case LOG -> Math.log(x);
      case LOG1P -> Math.log1p(x);
      case EXPM1 -> Math.expm1(x);
      case SQRT -> Math.sqrt(x);
      case TANH -> Math.tanh(x);
      case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
      case ABS -> Math.abs(x);
      case SIGN -> Math.signum(x);
      case LGAMMA -> SpecialFunctions.lgamma(x);
      case DIGAMMA -> SpecialFunctions.digamma(x);
      case TRIGAMMA -> SpecialFunctions.trigamma(x);
      default -> throw new IllegalArgumentException("op " + op + " is not a unary op");
    };
  }

  @Override
  public NdArray binary(Op op, NdArray a, NdArray b) {
    Shape shape = ShapeRules.binary(op, a, b);
    double[] x = data(a);
    double[] y = data(b);
    int[] ia = broadcastIndices(a.shape(), shape);
    int[] ib = broadcastIndices(b.shape(), shape);
    double[] out = new double[ia.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = binary(op, x[ia[i]], y[ib[i]]);
    }
    return make(shape, a.dtype(), out);
  }

  /** One element of a binary or compare op, in float64. */
  static double binary(Op op, double a, double b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / b;
      case POW -> pow(a, b);
      case MAX -> Math.max(a, b);
      case MIN -> Math.min(a, b);
      case EQ -> a == b ? 1 : 0;
      case LT -> a < b ? 1 : 0;
      case LE -> a <= b ? 1 : 0;
      default -> throw new IllegalArgumentException("op " + op + " is not a binary op");
    };
  }

  /** C99 pow: Math.pow except that 1^y = 1 and (−1)^±∞ = 1. */
  private static double pow(double a, double b) {
    if (a == 1 || (a == -1 && Double.isInfinite(b))) {
      return 1;
    }
    return Math.pow(a, b);
  }

  @Override
  public NdArray where(NdArray condition, NdArray a, NdArray b) {
    Shape shape = ShapeRules.where(condition, a, b);
    double[] c = data(condition);
    double[] x = data(a);
    double[] y = data(b);
    int[] ic = broadcastIndices(condition.shape(), shape);
    int[] ia = broadcastIndices(a.shape(), shape);
    int[] ib = broadcastIndices(b.shape(), shape);
    double[] out = new double[ic.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = c[ic[i]] != 0 ? x[ia[i]] : y[ib[i]];
    }
    return make(shape, a.dtype(), out);
  }

  // ---- reductions

  @Override
  public NdArray reduce(Op op, NdArray x, int[] axes, boolean keepDims) {
    op.requireKind(Op.Kind.REDUCE);
    int[] normalised = x.shape().normaliseAxes(axes);
    double[] out = reduceData(op, data(x), x.shape(), normalised);
    return make(x.shape().reduce(normalised, keepDims), x.dtype(), out);
  }

  /** SUM or REDUCE_MAX of the data over normalised axes, in the row-major order of the result. */
  private static double[] reduceData(Op op, double[] in, Shape shape, int[] axes) {
    Shape kept = shape.reduce(axes, true);
    double[] out = new double[kept.sizeAsInt()];
    Arrays.fill(out, op == Op.SUM ? 0.0 : Double.NEGATIVE_INFINITY);
    int[] target = broadcastIndices(kept, shape);
    for (int i = 0; i < in.length; i++) {
      int t = target[i];
      out[t] = op == Op.SUM ? out[t] + in[i] : Math.max(out[t], in[i]);
    }
    return out;
  }

  // ---- linear algebra

  @Override
  public NdArray matmul(NdArray a, NdArray b, boolean transposeA, boolean transposeB) {
    Shape shape = ShapeRules.matmul(a, b, transposeA, transposeB);
    double[] x = data(a);
    double[] y = data(b);
    int batches = shape.rank() == 3 ? shape.dim(0) : 1;
    int m = shape.dim(-2);
    int n = shape.dim(-1);
    int k = transposeA ? a.shape().dim(-2) : a.shape().dim(-1);
    int aRows = a.shape().dim(-2);
    int aCols = a.shape().dim(-1);
    int bRows = b.shape().dim(-2);
    int bCols = b.shape().dim(-1);
    double[] out = new double[shape.sizeAsInt()];
    for (int batch = 0; batch < batches; batch++) {
      int aBase = batch * aRows * aCols;
      int bBase = batch * bRows * bCols;
      int outBase = batch * m * n;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (int p = 0; p < k; p++) {
            double left = transposeA ? x[aBase + p * aCols + i] : x[aBase + i * aCols + p];
            double right = transposeB ? y[bBase + j * bCols + p] : y[bBase + p * bCols + j];
            sum += left * right;
          }
          out[outBase + i * n + j] = sum;
        }
      }
    }
    return make(shape, a.dtype(), out);
  }

  @Override
  public NdArray cholesky(NdArray a) {
    ShapeRules.requireSquare(Op.CHOLESKY, a);
    double[] in = data(a);
    int n = a.shape().dim(-1);
    int batches = n == 0 ? 0 : in.length / (n * n);
    double[] out = new double[in.length];
    for (int batch = 0; batch < batches; batch++) {
      int base = batch * n * n;
      for (int j = 0; j < n; j++) {
        double pivot = in[base + j * n + j];
        for (int p = 0; p < j; p++) {
          pivot -= out[base + j * n + p] * out[base + j * n + p];
        }
        if (!(pivot > 0)) {
          throw new IllegalArgumentException("CHOLESKY: the matrix at batch index " + batch + " of shape "
              + a.shape() + " is not positive definite (pivot " + j + " is " + pivot + ")");
        }
        double diagonal = Math.sqrt(pivot);
        out[base + j * n + j] = diagonal;
        for (int i = j + 1; i < n; i++) {
          double sum = in[base + i * n + j];
          for (int p = 0; p < j; p++) {
            sum -= out[base + i * n + p] * out[base + j * n + p];
          }
          out[base + i * n + j] = sum / diagonal;
        }
      }
    }
    return make(a.shape(), a.dtype(), out);
  }

  @Override
  public NdArray triangularSolve(NdArray a, NdArray b, boolean lower, boolean transposeA) {
    Shape shape = ShapeRules.triangularSolve(a, b);
    double[] t = data(a);
    double[] rhs = data(b);
    int n = shape.dim(-2);
    int k = shape.dim(-1);
    int batches = n * k == 0 ? 0 : rhs.length / (n * k);
    // op(A) is lower triangular exactly when A is lower and not transposed, or upper and transposed.
    boolean forward = lower != transposeA;
    double[] out = new double[rhs.length];
    for (int batch = 0; batch < batches; batch++) {
      int aBase = batch * n * n;
      int bBase = batch * n * k;
      for (int col = 0; col < k; col++) {
        for (int step = 0; step < n; step++) {
          int i = forward ? step : n - 1 - step;
          double sum = rhs[bBase + i * k + col];
          for (int other = 0; other < step; other++) {
            int p = forward ? other : n - 1 - other;
            double opA = transposeA ? t[aBase + p * n + i] : t[aBase + i * n + p];
            sum -= opA * out[bBase + p * k + col];
          }
          out[bBase + i * k + col] = sum / t[aBase + i * n + i];
        }
      }
    }
    return make(shape, b.dtype(), out);
  }

  // ---- movement

  @Override
  public NdArray reshape(NdArray x, Shape shape) {
    ShapeRules.reshape(x, shape);
    return make(shape, x.dtype(), data(x).clone());
  }

  @Override
  public NdArray permute(NdArray x, int[] permutation) {
    Shape shape = ShapeRules.permute(x, permutation);
    int[] inStrides = x.shape().strides();
    int[] strides = new int[permutation.length];
    for (int i = 0; i < strides.length; i++) {
      strides[i] = inStrides[permutation[i]];
    }
    return make(shape, x.dtype(), gatherStrided(data(x), shape, strides, 0));
  }

  @Override
  public NdArray slice(NdArray x, int[] start, int[] end) {
    Shape shape = ShapeRules.slice(x, start, end);
    int[] strides = x.shape().strides();
    int first = 0;
    for (int i = 0; i < strides.length; i++) {
      first += start[i] * strides[i];
    }
    return make(shape, x.dtype(), gatherStrided(data(x), shape, strides, first));
  }

  @Override
  public NdArray concat(List<NdArray> parts, int axis) {
    Shape shape = ShapeRules.concat(parts, axis);
    int ax = shape.normaliseAxis(axis);
    int outer = 1;
    for (int i = 0; i < ax; i++) {
      outer *= shape.dim(i);
    }
    int inner = 1;
    for (int i = ax + 1; i < shape.rank(); i++) {
      inner *= shape.dim(i);
    }
    double[] out = new double[shape.sizeAsInt()];
    int rowLength = shape.dim(ax) * inner;
    int offset = 0;
    for (NdArray part : parts) {
      double[] in = data(part);
      int chunk = part.shape().dim(ax) * inner;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(in, o * chunk, out, o * rowLength + offset, chunk);
      }
      offset += chunk;
    }
    return make(shape, parts.get(0).dtype(), out);
  }

  @Override
  public NdArray broadcastTo(NdArray x, Shape shape) {
    ShapeRules.broadcastTo(x, shape);
    double[] in = data(x);
    int[] source = broadcastIndices(x.shape(), shape);
    double[] out = new double[source.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = in[source[i]];
    }
    return make(shape, x.dtype(), out);
  }

  @Override
  public NdArray gather(NdArray x, int[] rows) {
    Shape shape = ShapeRules.gather(x, rows);
    double[] in = data(x);
    int rowLength = x.shape().dim(0) == 0 ? 0 : in.length / x.shape().dim(0);
    double[] out = new double[shape.sizeAsInt()];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(in, rows[r] * rowLength, out, r * rowLength, rowLength);
    }
    return make(shape, x.dtype(), out);
  }

  @Override
  public NdArray scatterAdd(NdArray updates, int[] indices, int rows) {
    Shape shape = ShapeRules.scatterAdd(updates, indices, rows);
    double[] in = data(updates);
    int rowLength = rows == 0 ? 0 : shape.sizeAsInt() / rows;
    double[] out = new double[shape.sizeAsInt()];
    for (int r = 0; r < indices.length; r++) {
      for (int j = 0; j < rowLength; j++) {
        out[indices[r] * rowLength + j] += in[r * rowLength + j];
      }
    }
    return make(shape, updates.dtype(), out);
  }

  @Override
  public NdArray unfold(NdArray x, ConvGeometry window) {
    Shape shape = ShapeRules.unfold(x, window);
    double[] in = data(x);
    double[] out = new double[shape.sizeAsInt()];
    patchMap(x.shape(), window, (pixel, element) -> out[element] = pixel < 0 ? 0 : in[pixel]);
    return make(shape, x.dtype(), out);
  }

  @Override
  public NdArray fold(NdArray patches, Shape imageShape, ConvGeometry window) {
    ShapeRules.fold(patches, imageShape, window);
    double[] in = data(patches);
    double[] out = new double[imageShape.sizeAsInt()];
    patchMap(imageShape, window, (pixel, element) -> {
      if (pixel >= 0) {
        out[pixel] += in[element];
      }
    });
    return make(imageShape, patches.dtype(), out);
  }

  /** Receives each patch element's index and the image index it reads, or −1 for padding. */
  private interface PatchVisitor {
    void visit(int pixel, int element);
  }

  /** Visits the patch elements of UNFOLD's definition in order, with the pixel each one reads. */
  private static void patchMap(Shape images, ConvGeometry g, PatchVisitor visitor) {
    int n = images.dim(0);
    int c = images.dim(1);
    int h = images.dim(2);
    int w = images.dim(3);
    int oh = g.outputHeight(h);
    int ow = g.outputWidth(w);
    int element = 0;
    for (int i = 0; i < n; i++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          for (int ch = 0; ch < c; ch++) {
            for (int ky = 0; ky < g.kernelHeight(); ky++) {
              for (int kx = 0; kx < g.kernelWidth(); kx++) {
                int y = oy * g.strideHeight() - g.paddingHeight() + ky * g.dilationHeight();
                int xx = ox * g.strideWidth() - g.paddingWidth() + kx * g.dilationWidth();
                boolean inside = y >= 0 && y < h && xx >= 0 && xx < w;
                visitor.visit(inside ? ((i * c + ch) * h + y) * w + xx : -1, element++);
              }
            }
          }
        }
      }
    }
  }

  // ---- random numbers

  @Override
  public NdArray randomUniform(long seed, long offset, Shape shape, DType dtype) {
    ShapeRules.requireStreamOffset(offset);
    double[] out = new double[shape.sizeAsInt()];
    if (dtype == DType.FLOAT32) {
      float[] floats = new float[out.length];
      Philox.uniformFloats(seed, offset, floats);
      for (int i = 0; i < out.length; i++) {
        out[i] = floats[i];
      }
    } else {
      Philox.uniformDoubles(seed, offset, out);
    }
    return make(shape, dtype, out);
  }

  @Override
  public NdArray randomNormal(long seed, long offset, Shape shape, DType dtype) {
    ShapeRules.requireStreamOffset(offset);
    double[] out = new double[shape.sizeAsInt()];
    Philox.normals(seed, offset, out);
    return make(shape, dtype, out);
  }


  // ---- fused kernels

  @Override
  public <K extends FusedKernel> Optional<K> fused(Class<K> kind) {
    Fused kernels = new Fused();
    return offers.test(kind) && kind.isInstance(kernels) ? Optional.of(kind.cast(kernels)) : Optional.empty();
  }

  /** Every fused kernel, written directly in float64. */
  private final class Fused implements FusedKernel.Softplus, FusedKernel.SoftplusWithSlope,
      FusedKernel.BernoulliLogLikelihood, FusedKernel.AdamUpdate {
    @Override
    public NdArray softplus(NdArray x) {
      double[] in = data(x);
      double[] out = new double[in.length];
      for (int i = 0; i < in.length; i++) {
        out[i] = Math.max(in[i], 0) + Math.log1p(Math.exp(-Math.abs(in[i])));
      }
      return make(x.shape(), x.dtype(), out);
    }

    @Override
    public ValueAndSlope softplusWithSlope(NdArray x) {
      double[] in = data(x);
      double[] sigmoid = new double[in.length];
      for (int i = 0; i < in.length; i++) {
        double u = Math.exp(-Math.abs(in[i]));
        sigmoid[i] = in[i] >= 0 ? 1 / (1 + u) : u / (1 + u);
      }
      return new ValueAndSlope(softplus(x), make(x.shape(), x.dtype(), sigmoid));
    }

    @Override
    public ValueAndSlope bernoulliLogLikelihood(NdArray x, NdArray logits) {
      ShapeRules.bernoulliLogLikelihood(x, logits);
      double[] t = data(x);
      double[] eta = data(logits);
      int rows = logits.shape().dim(0);
      int dims = logits.shape().dim(1);
      double[] sums = new double[rows];
      double[] slope = new double[eta.length];
      for (int i = 0; i < eta.length; i++) {
        double u = Math.exp(-Math.abs(eta[i]));
        sums[i / dims] += t[i] * eta[i] - (Math.max(eta[i], 0) + Math.log1p(u));
        slope[i] = t[i] - (eta[i] >= 0 ? 1 / (1 + u) : u / (1 + u));
      }
      return new ValueAndSlope(make(Shape.of(rows), x.dtype(), sums), make(logits.shape(), x.dtype(), slope));
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
      double[] p = data(param);
      double[] g = data(grad);
      double[] first = data(m);
      double[] second = data(v);
      DType dtype = param.dtype();
      double correction1 = 1 - Math.pow(beta1, step);
      double correction2 = 1 - Math.pow(beta2, step);
      for (int i = 0; i < p.length; i++) {
        first[i] = roundTo(dtype, beta1 * first[i] + (1 - beta1) * g[i]);
        second[i] = roundTo(dtype, beta2 * second[i] + (1 - beta2) * g[i] * g[i]);
        double update = (first[i] / correction1) / (Math.sqrt(second[i] / correction2) + eps);
        p[i] = roundTo(dtype, p[i] - lr * (update + weightDecay * p[i]));
      }
    }
  }

  // ---- index arithmetic

  /**
   * For each element of {@code out} (row-major), the index of the element of {@code in} that numpy
   * broadcasting reads: axes aligned from the right, size-1 and missing axes repeated.
   */
  private static int[] broadcastIndices(Shape in, Shape out) {
    int[] inStrides = in.strides();
    int offset = out.rank() - in.rank();
    int[] strides = new int[out.rank()];
    for (int i = 0; i < in.rank(); i++) {
      strides[i + offset] = in.dim(i) == 1 ? 0 : inStrides[i];
    }
    int[] result = new int[out.sizeAsInt()];
    forEachIndex(out, strides, (i, j) -> result[i] = j);
    return result;
  }

  /** Reads {@code out}'s elements from {@code in} at {@code first + Σ index[axis] * strides[axis]}. */
  private static double[] gatherStrided(double[] in, Shape out, int[] strides, int first) {
    double[] result = new double[out.sizeAsInt()];
    forEachIndex(out, strides, (i, j) -> result[i] = in[first + j]);
    return result;
  }

  /** Receives a row-major position and the matching strided position. */
  private interface IndexVisitor {
    void visit(int position, int stridedPosition);
  }

  /** Walks every multi-index of {@code shape} in row-major order with its strided offset. */
  private static void forEachIndex(Shape shape, int[] strides, IndexVisitor visitor) {
    int rank = shape.rank();
    int[] dims = shape.dims();
    int[] counter = new int[rank];
    int size = shape.sizeAsInt();
    int strided = 0;
    for (int i = 0; i < size; i++) {
      visitor.visit(i, strided);
      for (int axis = rank - 1; axis >= 0; axis--) {
        counter[axis]++;
        strided += strides[axis];
        if (counter[axis] < dims[axis]) {
          break;
        }
        strided -= counter[axis] * strides[axis];
        counter[axis] = 0;
      }
    }
  }
}
