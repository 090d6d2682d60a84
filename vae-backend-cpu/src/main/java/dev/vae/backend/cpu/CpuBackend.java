package dev.vae.backend.cpu;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.api.backend.Philox;
import dev.vae.api.backend.ScopeStack;
import dev.vae.api.backend.ShapeRules;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastTo;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSet;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarEquals;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarGreaterThan;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarGreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarLessThan;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarLessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarNotEquals;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.NotEqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Expm1;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * The {@link Backend} on ND4J's native CPU backend (libnd4j kernels, OpenBLAS for matrix
 * products). Each {@link NdArray} is an {@link Nd4jArray}: one row-major INDArray that owns its
 * native buffer, freed deterministically when its {@link MemoryScope} closes, so native memory stays
 * flat over any number of training steps without help from the garbage collector. Freed result
 * arrays up to a byte cap are kept for the next result of the same dtype and shape
 * ({@link ArrayPool}): ND4J takes 14–40 µs to create one.
 *
 * <p>How each primitive runs, and why where it is not the obvious ND4J call:
 * <ul>
 *   <li>Elementwise: ND4J transform, pairwise and scalar ops writing straight into the result's
 *       buffer. Binary ops with different shapes use libnd4j's broadcastable ops, which implement
 *       numpy broadcasting in full (both operands broadcasting, any ranks); an operand with one
 *       element goes through ND4J's scalar ops. Comparisons run ND4J's boolean ops and cast the
 *       mask to the operands' dtype. float32 arithmetic (ADD, SUB, MUL, DIV in the layouts a step
 *       makes, every scalar form, MAX and MIN with a scalar) and comparisons with a finite scalar
 *       run as vectorised host loops instead ({@link HostArithmetic},
 *       {@link HostKernels#compareWithScalar}): libnd4j's call costs about 30 µs whatever the size.
 *   <li>NaN: ND4J's maximum/minimum return their second operand when either is NaN, its max
 *       reduction skips NaN and its sign(NaN) is 0. MAX, MIN and SIGN therefore copy NaN inputs into
 *       the result with one extra compare-and-set pass; REDUCE_MAX checks for NaN with a cheap full
 *       sum and, only when the input holds NaN, marks the affected outputs.
 *   <li>LOG1P, EXPM1 and TANH: ND4J computes log(1 + x), exp(x) − 1 and tanh from exponentials,
 *       which lose all relative accuracy as x nears 0 (their absolute error stays near one ulp of
 *       1). Elements with |x| &lt; 0.5 (LOG1P, EXPM1) or |x| &lt; 0.25 (TANH) are recomputed on the
 *       host: {@link Math#log1p} and {@link Math#expm1} for float64, and for float32 and TANH the
 *       cheaper forms of {@link SpecialFunctions} that are exact to the dtype's precision.
 *   <li>LGAMMA, DIGAMMA, TRIGAMMA: on the host in double precision ({@link SpecialFunctions});
 *       ND4J's kernels are off by up to 1e-2 (float32 digamma) and take about 1 µs an element.
 *   <li>SUM of a float32 array of up to {@link HostKernels#HOST_SUM_ELEMENTS} elements over
 *       consecutive axes: one host pass accumulating in double ({@link HostKernels#sumMiddleAxis}),
 *       about twice as fast as libnd4j's reduction for the training step's arrays.
 *   <li>MATMUL: BLAS gemm called directly (rank 2) or libnd4j's batched matmul (rank 3), with the
 *       transposes passed as flags so no transposed copy is made. On two cores, a rank-2 product of
 *       at least {@link SplitGemm#SPLIT_MULTIPLY_ADDS} multiply-adds is gemm calls on two or four
 *       bands of the result, shared by the calling thread and a helper ({@link SplitGemm}).
 *   <li>Threads: on a machine where libnd4j starts two, ops run on the calling thread below
 *       {@link Nd4jThreads#PARALLEL_ELEMENTS} elements and matrix products below
 *       {@link Nd4jThreads#PARALLEL_MULTIPLY_ADDS} multiply-adds, where the second thread costs more
 *       than it saves ({@link Nd4jThreads}).
 *   <li>CHOLESKY and TRIANGULAR_SOLVE: on the host in double precision ({@link HostLinalg}), so that
 *       a matrix that is not positive definite is always reported, with its batch index.
 *   <li>Movement: reshape copies the buffer; permute, slice, concat, broadcast, gather (libnd4j
 *       "gather") and scatter-add (libnd4j "unsorted_segment_sum", which accumulates repeated
 *       indices; its "scatter_add" loses updates to races when indices repeat) write into a new
 *       buffer, never returning an ND4J view. float32 slice and concat of up to
 *       {@link HostMovement#MAX_ELEMENTS} elements are bulk copies on the host.
 *   <li>Random numbers: generated on the host by {@link Philox} itself and uploaded once.
 *   <li>WHERE selects on the host (libnd4j's Select takes milliseconds for 10^5 elements), and a
 *       broadcast that tiles the whole input or repeats each element over a block uses ND4J's
 *       legacy broadcast copy on a matrix view of the result.
 * </ul>
 *
 * <p>Offers {@link FusedKernel.AdamUpdate} as one host pass over the four arrays
 * ({@link HostKernels#adam}; libnd4j's adam_updater took three times as long), and
 * {@link FusedKernel.Softplus} as −|x| on the host, its exponential in ND4J and one host pass
 * ({@link HostKernels#softplusFromExp}), which replace the composition's eight ND4J calls and its
 * log1p accuracy pass; {@link FusedKernel.SoftplusWithSlope} writes sigmoid(x) from the same
 * exponential in that pass, which saves the backward pass its own sigmoid (about 0.5 ms of the
 * MNIST model's step); and {@link FusedKernel.BernoulliLogLikelihood} the same way, each row's sum of
 * x η − softplus(η) and the slope x − sigmoid(η) in one host pass (for float32 with the exponential
 * in it, {@link SpecialFunctions#expOfNonPositive}), in place of
 * the composition's multiply, subtract and sum and the backward pass's broadcast, negation, two
 * products and add over the whole batch. It offers no fused log-sum-exp: ND4J's subtracts one
 * global maximum, which underflows whole rows.
 */
public final class CpuBackend implements Backend {
  private static final System.Logger LOG = System.getLogger(CpuBackend.class.getName());
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();
  /** JavaCPP's limit on the process's resident memory, 0 for none (see the static initialiser). */
  static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

  static {
    // With a limit, JavaCPP reads the process's resident size at every native allocation, 5-8% of a
    // training step (BENCHMARKS.md). This backend frees its arrays with their scopes rather than
    // leaving them to the garbage collector, which the limit exists to prompt; JavaCPP's limit on the
    // bytes it allocated (maxBytes) stays. A value the user set is kept.
    if (System.getProperty(MAX_PHYSICAL_BYTES) == null) {
      System.setProperty(MAX_PHYSICAL_BYTES, "0");
    }
    BufferClasses.load();
  }

  /**
   * Arrays of at most this many elements are filled by a host write rather than libnd4j's scalar
   * op, whose call costs 30–40 µs whatever the size.
   */
  static final long HOST_FILL_ELEMENTS = 1 << 12;

  private final ScopeStack scopes = new ScopeStack();
  private final ArrayPool pool = ArrayPool.fromSystemProperty();
  private final OpExecutioner exec;
  private final AdamKernel adam = new AdamKernel();
  private final FusedKernel.Softplus softplus = this::softplus;
  private final FusedKernel.SoftplusWithSlope softplusWithSlope = this::softplusWithSlope;
  private final FusedKernel.BernoulliLogLikelihood bernoulli = this::bernoulliLogLikelihood;

  /**
   * Loads ND4J's native backend (if this is the first use in the process), makes float32 its
   * default data type, and logs once which BLAS and how many threads it uses.
   *
   * @throws IllegalStateException if ND4J's native libraries cannot be loaded here
   */
  public CpuBackend() {
    try {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
      exec = Nd4j.getExecutioner();
    } catch (LinkageError | RuntimeException e) {
      throw new IllegalStateException("the cpu backend could not load ND4J's native libraries ("
          + e + "); check that nd4j-native for this platform is on the classpath", e);
    }
    if (ANNOUNCED.compareAndSet(false, true)) {
      Properties env = exec.getEnvironmentInformation();
      boolean spinning = System.getenv("OMP_WAIT_POLICY") == null && System.getenv("GOMP_SPINCOUNT") == null
          && !"1".equals(System.getenv("OMP_NUM_THREADS"));
      LOG.log(Level.INFO, "cpu backend: ND4J {0} native, {1} BLAS with {2} threads, {3} OpenMP threads, {4} cores{5}",
          nd4jVersion(), env.get("blas.vendor"), env.get("blas.threads"), env.get("omp.threads"), env.get("cores"),
          spinning ? "; idle OpenMP threads spin, which slows every op when other processes share these cores"
              + " (set OMP_WAIT_POLICY=PASSIVE to avoid it)" : "");
    }
  }

  private static String nd4jVersion() {
    try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "(unknown version)");
      }
    } catch (IOException e) {
      // Fall through: the version is only informative.
    }
    return "(unknown version)";
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

  /** Frees the freed arrays kept for reuse; open arrays stay usable, and so does the backend. */
  @Override
  public void close() {
    pool.clear();
  }

  // ---- array plumbing

  static DataType nd4jType(DType dtype) {
    return dtype == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
  }

  static long[] longs(Shape shape) {
    int[] dims = shape.dims();
    long[] out = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = dims[i];
    }
    return out;
  }

  /**
   * An uninitialised, c-ordered INDArray outside any ND4J workspace, a freed one from the pool when
   * it has one of this dtype and shape; empty shapes get no buffer.
   */
  private INDArray allocate(Shape shape, DType dtype) {
    if (shape.size() == 0) {
      return Nd4j.create(nd4jType(dtype), longs(shape));
    }
    INDArray reused = pool.take(dtype, shape);
    return reused != null ? reused : Nd4j.createUninitializedDetached(nd4jType(dtype), longs(shape));
  }

  /** The INDArray of an open array this backend made. */
  private static INDArray nd(NdArray x) {
    if (!(x instanceof Nd4jArray a)) {
      throw new IllegalArgumentException("the cpu backend got an array it did not make: " + x);
    }
    return a.nd();
  }

  private Nd4jArray track(Shape shape, DType dtype, INDArray array) {
    return scopes.track(new Nd4jArray(shape, dtype, array, pool));
  }

  /**
   * A new array of the given shape whose buffer {@code body} fills; the body is skipped for empty
   * shapes, and the array is freed again if the body fails. libnd4j's threads are chosen by the
   * result's size.
   */
  private NdArray compute(Shape shape, DType dtype, Consumer<INDArray> body) {
    return compute(shape, dtype, shape.size(), body);
  }

  /** As {@link #compute(Shape, DType, Consumer)}, choosing libnd4j's threads for an op that reads {@code elements}. */
  private NdArray compute(Shape shape, DType dtype, long elements, Consumer<INDArray> body) {
    Nd4jArray out = track(shape, dtype, allocate(shape, dtype));
    if (shape.size() > 0) {
      Nd4jThreads.forElements(elements);
      try {
        body.accept(out.nd());
      } catch (RuntimeException | Error e) {
        out.close();
        throw e;
      }
    }
    return out;
  }

  private static boolean sameShape(INDArray a, INDArray b) {
    return Arrays.equals(a.shape(), b.shape());
  }

  /**
   * {@code x} read in the shape of {@code z}, which has as many elements: x itself or a reshaped
   * view of it, used only as an op input and never handed out.
   */
  private static INDArray inShapeOf(INDArray x, INDArray z) {
    return sameShape(x, z) ? x : x.reshape('c', z.shape());
  }

  private static void copyBuffer(INDArray from, INDArray to) {
    Nd4j.getMemoryManager().memcpy(to.data(), from.data());
  }

  // ---- allocation and host transfer

  @Override
  public NdArray fromHost(double[] data, Shape shape, DType dtype) {
    ShapeRules.hostData(data.length, shape);
    return upload(data, shape, dtype);
  }

  @Override
  public NdArray fromHost(float[] data, Shape shape) {
    ShapeRules.hostData(data.length, shape);
    return compute(shape, DType.FLOAT32, z -> HostKernels.writeFloats(z, data));
  }

  /** An array holding {@code values}, rounded to float for float32. */
  private NdArray upload(double[] values, Shape shape, DType dtype) {
    return compute(shape, dtype, z -> {
      if (dtype == DType.FLOAT32) {
        float[] floats = new float[values.length];
        for (int i = 0; i < floats.length; i++) {
          floats[i] = (float) values[i];
        }
        HostKernels.writeFloats(z, floats);
      } else {
        HostKernels.writeDoubles(z, values);
      }
    });
  }

  @Override
  public NdArray full(Shape shape, DType dtype, double value) {
    return compute(shape, dtype, z -> fill(z, value));
  }

  @Override
  public double[] toDoubles(NdArray array) {
    INDArray x = nd(array);
    if (array.shape().size() == 0) {
      return new double[0];
    }
    return hostDoubles(x);
  }

  @Override
  public float[] toFloats(NdArray array) {
    INDArray x = nd(array);
    if (array.shape().size() == 0) {
      return new float[0];
    }
    if (x.dataType() == DataType.FLOAT) {
      return HostKernels.readFloats(x);
    }
    double[] values = HostKernels.readDoubles(x);
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private static double[] hostDoubles(INDArray x) {
    if (x.dataType() == DataType.DOUBLE) {
      return HostKernels.readDoubles(x);
    }
    float[] values = HostKernels.readFloats(x);
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Override
  public NdArray cast(NdArray x, DType dtype) {
    INDArray in = nd(x);
    if (x.dtype() == dtype) {
      return compute(x.shape(), dtype, z -> copyBuffer(in, z));
    }
    return compute(x.shape(), dtype, z -> z.assign(in));
  }

  // ---- elementwise

  @Override
  public NdArray unary(Op op, NdArray x) {
    op.requireKind(Op.Kind.UNARY);
    INDArray in = nd(x);
    return compute(x.shape(), x.dtype(), z -> unaryInto(op, in, z));
  }

  private void unaryInto(Op op, INDArray x, INDArray z) {
    switch (op) {
      case NEG -> exec.exec(new Negative(x, z));
      case EXP -> exec.exec(new Exp(x, z));
      case LOG -> exec.exec(new Log(x, z));
      case LOG1P -> {
        exec.exec(new Log1p(x, z));
        HostKernels.fixSmallArguments(x, z, HostKernels.NearZero.LOG1P);
      }
      case EXPM1 -> {
        exec.exec(new Expm1(x, z));
        HostKernels.fixSmallArguments(x, z, HostKernels.NearZero.EXPM1);
      }
      case SQRT -> exec.exec(new Sqrt(x, z));
      case TANH -> {
        exec.exec(new Tanh(x, z));
        HostKernels.fixSmallArguments(x, z, HostKernels.NearZero.TANH);
      }
      case SIGMOID -> exec.exec(new Sigmoid(x, z));
      case ABS -> exec.exec(new Abs(x, z));
      case SIGN -> {
        exec.exec(new Sign(x, z));
        copyNaN(x, z);
      }
      case LGAMMA -> HostKernels.map(x, z, SpecialFunctions::lgamma);
      case DIGAMMA -> HostKernels.map(x, z, SpecialFunctions::digamma);
      case TRIGAMMA -> HostKernels.map(x, z, SpecialFunctions::trigamma);
      default -> throw new IllegalArgumentException("op " + op + " is not a unary op");
    }
  }

  /**
   * Runs an ND4J scalar op and frees the one-element array ND4J made for its scalar, which would
   * otherwise wait for the garbage collector.
   */
  private void execScalar(ScalarOp op) {
    try {
      exec.exec(op);
    } finally {
      INDArray scalar = op.scalar();
      if (scalar != null && scalar.closeable()) {
        scalar.close();
      }
    }
  }

  /** Sets every element of z (INDArray.assign(Number) would leave its scalar to the collector). */
  private void fill(INDArray z, double value) {
    if (z.length() <= HOST_FILL_ELEMENTS) {
      HostKernels.fill(z, value);
    } else {
      execScalar(new ScalarSet(z, null, z, value));
    }
  }

  /** z[i] = from[i] wherever from[i] is NaN (both of z's shape). */
  private void copyNaN(INDArray from, INDArray z) {
    exec.exec(new CompareAndSet(z, from, z, Conditions.isNan()));
  }

  @Override
  public NdArray binary(Op op, NdArray a, NdArray b) {
    Shape shape = ShapeRules.binary(op, a, b);
    INDArray x = nd(a);
    INDArray y = nd(b);
    return compute(shape, a.dtype(), z -> binaryInto(op, x, y, z));
  }

  private void binaryInto(Op op, INDArray x, INDArray y, INDArray z) {
    // An operand of one element makes this a scalar op on the other, whose elements are then the
    // result's in the same order. (libnd4j's broadcastable ops also get the result shape wrong for
    // some such pairs, e.g. [1, 1] and [4].)
    if (y.length() == 1) {
      binaryScalarInto(op, inShapeOf(x, z), y.getDouble(0), false, z);
      return;
    }
    if (x.length() == 1) {
      binaryScalarInto(op, inShapeOf(y, z), x.getDouble(0), true, z);
      return;
    }
    if (HostArithmetic.binary(op, x, y, z)) {
      return;
    }
    switch (op) {
      case ADD -> exec.exec(new AddOp(x, y, z));
      case SUB -> exec.exec(new SubOp(x, y, z));
      case MUL -> exec.exec(new MulOp(x, y, z));
      case DIV -> exec.exec(new DivOp(x, y, z));
      case POW -> exec.exec(DynamicCustomOp.builder("Pow").addInputs(x, y).addOutputs(z).build());
      case MAX, MIN -> extremum(op == Op.MAX, x, y, z);
      case EQ, NE, LT, LE, GT, GE -> compare(op, x, y, z);
      default -> throw new IllegalArgumentException("op " + op + " is not a binary op");
    }
  }

  /**
   * MAX or MIN propagating NaN from both operands. ND4J's maximum(p, q) is {@code p > q ? p : q}, so
   * it keeps only q's NaN; the other operand's NaN is copied in afterwards.
   */
  private void extremum(boolean max, INDArray x, INDArray y, INDArray z) {
    if (sameShape(x, z)) {
      exec.exec(extremumOp(max, x, y, z));
      copyNaN(x, z);
    } else if (sameShape(y, z)) {
      exec.exec(extremumOp(max, y, x, z));
      copyNaN(y, z);
    } else {
      exec.exec(extremumOp(max, x, y, z));
      INDArray swapped = Nd4j.createUninitializedDetached(z.dataType(), z.shape());
      try {
        exec.exec(extremumOp(max, y, x, swapped));
        copyNaN(swapped, z);
      } finally {
        swapped.close();
      }
    }
  }

  private static DynamicCustomOp extremumOp(boolean max, INDArray p, INDArray q, INDArray z) {
    return max
        ? new org.nd4j.linalg.api.ops.impl.transforms.custom.Max(p, q, z)
        : new org.nd4j.linalg.api.ops.impl.transforms.custom.Min(p, q, z);
  }

  /** A broadcasting comparison: ND4J's boolean op, then the mask cast to z's dtype. */
  private void compare(Op op, INDArray x, INDArray y, INDArray z) {
    INDArray mask = Nd4j.createUninitializedDetached(DataType.BOOL, z.shape());
    try {
      exec.exec(switch (op) {
        case EQ -> new EqualTo(x, y, mask);
        case NE -> new NotEqualTo(x, y, mask);
        case LT -> new LessThan(x, y, mask);
        case LE -> new LessThanOrEqual(x, y, mask);
        case GT -> new GreaterThan(x, y, mask);
        case GE -> new GreaterThanOrEqual(x, y, mask);
        default -> throw new IllegalArgumentException("op " + op + " is not a comparison");
      });
      z.assign(mask);
    } finally {
      mask.close();
    }
  }

  @Override
  public NdArray binaryScalar(Op op, NdArray a, double scalar, boolean scalarFirst) {
    op.requireKind(Op.Kind.BINARY);
    INDArray x = nd(a);
    double s = a.dtype() == DType.FLOAT32 ? (float) scalar : scalar;
    return compute(a.shape(), a.dtype(), z -> binaryScalarInto(op, x, s, scalarFirst, z));
  }

  /** op(x, s), or op(s, x) when {@code scalarFirst}, with s already rounded to x's dtype. */
  private void binaryScalarInto(Op op, INDArray x, double s, boolean scalarFirst, INDArray z) {
    if (HostArithmetic.withScalar(op, x, s, scalarFirst, z)) {
      return;
    }
    switch (op) {
      case ADD -> execScalar(new ScalarAdd(x, null, z, s));
      case SUB -> execScalar(scalarFirst ? new ScalarReverseSubtraction(x, null, z, s) : new ScalarSubtraction(x, null, z, s));
      case MUL -> execScalar(new ScalarMultiplication(x, null, z, s));
      case DIV -> execScalar(scalarFirst ? new ScalarReverseDivision(x, null, z, s) : new ScalarDivision(x, null, z, s));
      case POW -> {
        if (scalarFirst) {
          INDArray base = Nd4j.scalar(x.dataType(), s);
          try {
            exec.exec(DynamicCustomOp.builder("Pow").addInputs(base, x).addOutputs(z).build());
          } finally {
            base.close();
          }
        } else {
          execScalar(new org.nd4j.linalg.api.ops.impl.scalar.Pow(x, z, s));
        }
      }
      case MAX, MIN -> scalarExtremum(op == Op.MAX, x, s, z);
      case EQ, NE, LT, LE, GT, GE -> scalarCompare(scalarFirst ? mirror(op) : op, x, s, z);
      default -> throw new IllegalArgumentException("op " + op + " is not a binary op");
    }
  }

  /** MAX or MIN with a scalar, NaN propagating from both sides (commutative, so order is moot). */
  private void scalarExtremum(boolean max, INDArray x, double s, INDArray z) {
    if (Double.isNaN(s)) {
      fill(z, Double.NaN);
    } else if (max && s == 0) {
      // relu: x < 0 ? 0 : x keeps NaN by itself.
      execScalar(new RectifiedLinear(x, z, 0.0));
    } else {
      execScalar(max ? new ScalarMax(x, null, z, s) : new ScalarMin(x, null, z, s));
      copyNaN(x, z);
    }
  }

  /** The comparison with its operands swapped: s < x is x > s. */
  private static Op mirror(Op op) {
    return switch (op) {
      case LT -> Op.GT;
      case LE -> Op.GE;
      case GT -> Op.LT;
      case GE -> Op.LE;
      default -> op;
    };
  }

  /**
   * {@code op(x, s)} as 1 or 0 in z's dtype: a host pass for float32 and a finite s
   * ({@link HostKernels#compareWithScalar}), else libnd4j's boolean op and a cast.
   */
  private void scalarCompare(Op op, INDArray x, double s, INDArray z) {
    if (x.dataType() == DataType.FLOAT && Double.isFinite(s)) {
      HostKernels.compareWithScalar(op, x, (float) s, z);
      return;
    }
    INDArray mask = Nd4j.createUninitializedDetached(DataType.BOOL, z.shape());
    try {
      execScalar(switch (op) {
        case EQ -> new ScalarEquals(x, mask, s);
        case NE -> new ScalarNotEquals(x, mask, s);
        case LT -> new ScalarLessThan(x, mask, s);
        case LE -> new ScalarLessThanOrEqual(x, mask, s);
        case GT -> new ScalarGreaterThan(x, mask, s);
        case GE -> new ScalarGreaterThanOrEqual(x, mask, s);
        default -> throw new IllegalArgumentException("op " + op + " is not a comparison");
      });
      z.assign(mask);
    } finally {
      mask.close();
    }
  }

  @Override
  public NdArray where(NdArray condition, NdArray a, NdArray b) {
    Shape shape = ShapeRules.where(condition, a, b);
    INDArray c = nd(condition);
    INDArray x = nd(a);
    INDArray y = nd(b);
    return compute(shape, a.dtype(), z -> {
      // libnd4j's Select takes milliseconds for 10^5 elements: select on the host instead.
      INDArray cz = expanded(c, condition.shape(), shape);
      INDArray xz = expanded(x, a.shape(), shape);
      INDArray yz = expanded(y, b.shape(), shape);
      try {
        HostKernels.select(cz, xz, yz, z);
      } finally {
        for (INDArray t : new INDArray[] {cz, xz, yz}) {
          if (t != c && t != x && t != y) {
            t.close();
          }
        }
      }
    });
  }

  /** {@code in} itself if it already has shape {@code to}, else a temporary broadcast copy. */
  private INDArray expanded(INDArray in, Shape from, Shape to) {
    if (from.equals(to)) {
      return in;
    }
    INDArray full = Nd4j.createUninitializedDetached(in.dataType(), longs(to));
    broadcastInto(in, from, to, full);
    return full;
  }

  // ---- reductions

  @Override
  public NdArray reduce(Op op, NdArray x, int[] axes, boolean keepDims) {
    op.requireKind(Op.Kind.REDUCE);
    Shape in = x.shape();
    int[] dims = in.normaliseAxes(axes);
    Shape shape = in.reduce(dims, keepDims);
    INDArray input = nd(x);
    if (in.size() == 0) {
      return full(shape, x.dtype(), op == Op.SUM ? 0.0 : Double.NEGATIVE_INFINITY);
    }
    return compute(shape, x.dtype(), in.size(), z -> {
      if (dims.length == 0) {
        copyBuffer(input, z);
      } else if (op == Op.SUM && x.dtype() == DType.FLOAT32 && in.size() <= HostKernels.HOST_SUM_ELEMENTS
          && isContiguousBlock(dims)) {
        int before = product(in.dims(), 0, dims[0]);
        int reduced = product(in.dims(), dims[0], dims[dims.length - 1] + 1);
        HostKernels.sumMiddleAxis(input, before, reduced, in.sizeAsInt() / before / reduced, z);
      } else if (op == Op.SUM) {
        exec.exec(new Sum(input, z, keepDims, dims));
      } else {
        exec.exec(new org.nd4j.linalg.api.ops.impl.reduce.same.Max(input, z, keepDims, dims));
        propagateNaNInMax(input, z, dims);
      }
    });
  }

  /** The product of {@code dims[from, to)}. */
  static int product(int[] dims, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p *= dims[i];
    }
    return p;
  }

  /** Whether sorted axes are consecutive, so that they form one block of the row-major layout. */
  private static boolean isContiguousBlock(int[] dims) {
    return dims[dims.length - 1] - dims[0] == dims.length - 1;
  }

  /**
   * ND4J's max reduction skips NaN. An input without NaN has a sum that is not NaN, so one cheap
   * full sum clears the common case; otherwise the outputs whose inputs hold a NaN are set to NaN.
   */
  private void propagateNaNInMax(INDArray x, INDArray z, int[] dims) {
    Sum total = new Sum(x);
    exec.exec(total);
    double sum = total.z().getDouble(0);
    total.z().close();
    if (!Double.isNaN(sum)) {
      return;
    }
    INDArray counts = exec.exec(new MatchCondition(x, Conditions.isNan(), dims));
    try {
      long[] perOutput = counts.data().asLong();
      for (int i = 0; i < perOutput.length; i++) {
        if (perOutput[i] > 0) {
          z.data().put(i, Double.NaN);
        }
      }
    } finally {
      counts.close();
    }
  }

  // ---- linear algebra

  @Override
  public NdArray matmul(NdArray a, NdArray b, boolean transposeA, boolean transposeB) {
    Shape shape = ShapeRules.matmul(a, b, transposeA, transposeB);
    INDArray x = nd(a);
    INDArray y = nd(b);
    int inner = transposeA ? a.shape().dim(-2) : a.shape().dim(-1);
    if (inner == 0) {
      return full(shape, a.dtype(), 0.0);
    }
    long multiplyAdds = (long) shape.size() * inner;
    return compute(shape, a.dtype(), z -> {
      Nd4jThreads.forMatmul(multiplyAdds);
      if (SplitGemm.fits(x) && SplitGemm.fits(y) && SplitGemm.fits(z)) {
        SplitGemm.multiply(x, y, z, transposeA, transposeB);
      } else {
        // libnd4j's batched matmul: a loop over gemm, the transposes passed through as flags.
        exec.exec(new Mmul(x, y, z, MMulTranspose.builder().transposeA(transposeA).transposeB(transposeB).build()));
      }
    });
  }

  @Override
  public NdArray cholesky(NdArray a) {
    ShapeRules.requireSquare(Op.CHOLESKY, a);
    INDArray x = nd(a);
    if (a.shape().size() == 0) {
      return compute(a.shape(), a.dtype(), z -> { });
    }
    double[] factor = HostLinalg.cholesky(hostDoubles(x), a.shape().dim(-1), a.shape());
    return upload(factor, a.shape(), a.dtype());
  }

  @Override
  public NdArray triangularSolve(NdArray a, NdArray b, boolean lower, boolean transposeA) {
    Shape shape = ShapeRules.triangularSolve(a, b);
    INDArray x = nd(a);
    INDArray y = nd(b);
    if (shape.size() == 0) {
      return compute(shape, b.dtype(), z -> { });
    }
    double[] solution = HostLinalg.triangularSolve(hostDoubles(x), hostDoubles(y), shape.dim(-2), shape.dim(-1),
        lower, transposeA);
    return upload(solution, shape, b.dtype());
  }

  // ---- movement

  @Override
  public NdArray reshape(NdArray x, Shape shape) {
    ShapeRules.reshape(x, shape);
    INDArray in = nd(x);
    return compute(shape, x.dtype(), z -> copyBuffer(in, z));
  }

  @Override
  public NdArray permute(NdArray x, int[] permutation) {
    Shape shape = ShapeRules.permute(x, permutation);
    INDArray in = nd(x);
    return compute(shape, x.dtype(), z -> {
      if (shape.rank() <= 1) {
        copyBuffer(in, z);
      } else {
        z.assign(in.permute(permutation));
      }
    });
  }

  @Override
  public NdArray slice(NdArray x, int[] start, int[] end) {
    Shape shape = ShapeRules.slice(x, start, end);
    INDArray in = nd(x);
    return compute(shape, x.dtype(), z -> {
      if (shape.equals(x.shape())) {
        copyBuffer(in, z);
        return;
      }
      if (in.dataType() == DataType.FLOAT && x.shape().size() <= HostMovement.MAX_ELEMENTS) {
        HostMovement.slice(in, x.shape(), start, shape, z);
        return;
      }
      int[] args = new int[2 * start.length];
      for (int i = 0; i < start.length; i++) {
        args[i] = start[i];
        args[start.length + i] = end[i] - start[i];
      }
      exec.exec(DynamicCustomOp.builder("slice").addInputs(in).addOutputs(z).addIntegerArguments(args).build());
    });
  }

  @Override
  public NdArray concat(List<NdArray> parts, int axis) {
    Shape shape = ShapeRules.concat(parts, axis);
    int ax = shape.normaliseAxis(axis);
    List<INDArray> nonEmpty = new ArrayList<>();
    for (NdArray p : parts) {
      INDArray in = nd(p);
      if (p.shape().size() > 0) {
        nonEmpty.add(in);
      }
    }
    return compute(shape, parts.get(0).dtype(), z -> {
      if (nonEmpty.size() == 1) {
        copyBuffer(nonEmpty.get(0), z);
      } else if (z.dataType() == DataType.FLOAT && shape.size() <= HostMovement.MAX_ELEMENTS) {
        HostMovement.concat(nonEmpty, ax, shape, z);
      } else {
        exec.exec(DynamicCustomOp.builder("concat").addInputs(nonEmpty.toArray(new INDArray[0]))
            .addOutputs(z).addIntegerArguments(ax).build());
      }
    });
  }

  @Override
  public NdArray broadcastTo(NdArray x, Shape shape) {
    ShapeRules.broadcastTo(x, shape);
    INDArray in = nd(x);
    return compute(shape, x.dtype(), z -> {
      if (shape.equals(x.shape())) {
        copyBuffer(in, z);
      } else {
        broadcastInto(in, x.shape(), shape, z);
      }
    });
  }

  /**
   * Writes {@code in} broadcast from {@code from} to {@code to} into {@code z}. One value is a fill.
   * Two common layouts go through ND4J's legacy broadcast copy on a matrix view of z, since
   * libnd4j's general BroadcastTo takes about a millisecond for 10^5 elements: copies of the whole
   * input one after another ({@code from} is {@code to}'s trailing dimensions, with leading ones),
   * and each input element repeated over a trailing block ({@code from} is {@code to}'s leading
   * dimensions, with trailing ones).
   */
  private void broadcastInto(INDArray in, Shape from, Shape to, INDArray z) {
    long n = from.size();
    if (n == 1) {
      fill(z, in.getDouble(0));
      return;
    }
    long copies = to.size() / n;
    if (isTrailingPartOf(from, to)) {
      INDArray flat = in.reshape(new long[] {n});
      exec.exec(new BroadcastCopyOp(z.reshape('c', copies, n), flat, z.reshape('c', copies, n), 1));
    } else if (isLeadingPartOf(from, to)) {
      // libnd4j's broadcast along dimension 0 took 300 µs even for [128, 1] to [128, 20]. (ND4J's
      // reshape of the step's [128, 1] gradient to [128] alone took 200 µs: none is made here.)
      HostKernels.repeatEach(in, (int) n, (int) copies, z);
    } else {
      exec.exec(new BroadcastTo(in, longs(to), z));
    }
  }

  /** Whether {@code from}, left-padded with ones to {@code to}'s rank, is ones and then {@code to}'s own dimensions. */
  private static boolean isTrailingPartOf(Shape from, Shape to) {
    int pad = to.rank() - from.rank();
    int k = 0;
    while (k < from.rank() && from.dim(k) == 1) {
      k++;
    }
    for (int i = k; i < from.rank(); i++) {
      if (from.dim(i) != to.dim(pad + i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code from}, left-padded with ones to {@code to}'s rank, is {@code to}'s own dimensions and then ones. */
  private static boolean isLeadingPartOf(Shape from, Shape to) {
    int pad = to.rank() - from.rank();
    for (int i = 0; i < pad; i++) {
      if (to.dim(i) != 1) {
        return false;
      }
    }
    int k = from.rank();
    while (k > 0 && from.dim(k - 1) == 1) {
      k--;
    }
    for (int i = 0; i < k; i++) {
      if (from.dim(i) != to.dim(pad + i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public NdArray gather(NdArray x, int[] rows) {
    Shape shape = ShapeRules.gather(x, rows);
    INDArray in = nd(x);
    return compute(shape, x.dtype(), z -> {
      INDArray indices = Nd4j.createFromArray(rows);
      try {
        exec.exec(DynamicCustomOp.builder("gather").addInputs(in, indices).addOutputs(z).addIntegerArguments(0).build());
      } finally {
        indices.close();
      }
    });
  }

  @Override
  public NdArray scatterAdd(NdArray updates, int[] indices, int rows) {
    Shape shape = ShapeRules.scatterAdd(updates, indices, rows);
    INDArray in = nd(updates);
    if (updates.shape().size() == 0) {
      return full(shape, updates.dtype(), 0.0);
    }
    return compute(shape, updates.dtype(), z -> {
      INDArray segments = Nd4j.createFromArray(indices);
      // libnd4j reads a [1, k] input as a vector of k elements, one per index, and so adds only its
      // first element; [1, 1, k] views of the same buffers are read as one row.
      boolean rowVector = in.rank() == 2 && in.size(0) == 1;
      INDArray source = rowVector ? in.reshape('c', 1, 1, in.size(1)) : in;
      INDArray target = rowVector ? z.reshape('c', rows, 1, in.size(1)) : z;
      try {
        exec.exec(DynamicCustomOp.builder("unsorted_segment_sum").addInputs(source, segments).addOutputs(target)
            .addIntegerArguments(rows).build());
      } finally {
        segments.close();
      }
    });
  }

  // ---- random numbers

  @Override
  public NdArray randomUniform(long seed, long offset, Shape shape, DType dtype) {
    ShapeRules.requireStreamOffset(offset);
    int n = shape.sizeAsInt();
    if (dtype == DType.FLOAT32) {
      float[] values = new float[n];
      Philox.uniformFloats(seed, offset, values);
      return compute(shape, dtype, z -> HostKernels.writeFloats(z, values));
    }
    double[] values = new double[n];
    Philox.uniformDoubles(seed, offset, values);
    return upload(values, shape, dtype);
  }

  @Override
  public NdArray randomNormal(long seed, long offset, Shape shape, DType dtype) {
    ShapeRules.requireStreamOffset(offset);
    double[] values = new double[shape.sizeAsInt()];
    Philox.normals(seed, offset, values);
    return upload(values, shape, dtype);
  }


  // ---- fused kernels

  @Override
  public <K extends FusedKernel> Optional<K> fused(Class<K> kind) {
    for (FusedKernel kernel : List.of(adam, softplus, softplusWithSlope, bernoulli)) {
      if (kind.isInstance(kernel)) {
        return Optional.of(kind.cast(kernel));
      }
    }
    return Optional.empty();
  }

  private NdArray softplus(NdArray x) {
    INDArray in = nd(x);
    return compute(x.shape(), x.dtype(), z -> {
      expOfMinusAbs(in, z);
      HostKernels.softplusFromExp(in, z, null);
    });
  }

  private FusedKernel.ValueAndSlope softplusWithSlope(NdArray x) {
    INDArray in = nd(x);
    NdArray slope = compute(x.shape(), x.dtype(), s -> { });
    NdArray value = compute(x.shape(), x.dtype(), z -> {
      expOfMinusAbs(in, z);
      HostKernels.softplusFromExp(in, z, nd(slope));
    });
    return new FusedKernel.ValueAndSlope(value, slope);
  }

  private FusedKernel.ValueAndSlope bernoulliLogLikelihood(NdArray x, NdArray logits) {
    ShapeRules.bernoulliLogLikelihood(x, logits);
    INDArray targets = nd(x);
    INDArray eta = nd(logits);
    // float32 computes e^−|η| in the host pass itself; float64 takes libnd4j's first
    boolean single = logits.dtype() == DType.FLOAT32;
    NdArray slope = compute(logits.shape(), logits.dtype(), u -> {
      if (!single) {
        expOfMinusAbs(eta, u);
      }
    });
    NdArray value = compute(Shape.of(logits.shape().dim(0)), logits.dtype(),
        sums -> HostKernels.bernoulli(targets, eta, nd(slope), sums));
    return new FusedKernel.ValueAndSlope(value, slope);
  }

  /**
   * z = e^−|x|: −|x| by one host pass (two ND4J calls otherwise), then ND4J's vectorised exp, several
   * times faster than a Java loop (3–4 ns an element against 17 for Math.exp, 7 for
   * {@link SpecialFunctions#expOfNonPositive}, which the float32 Bernoulli pass uses to save the
   * two passes).
   */
  private void expOfMinusAbs(INDArray x, INDArray z) {
    HostKernels.minusAbs(x, z);
    exec.exec(new Exp(z, z));
  }

  /** Adam / AdamW in place on the optimizer's arrays. */
  private final class AdamKernel implements FusedKernel.AdamUpdate {
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
      INDArray p = nd(param);
      INDArray g = nd(grad);
      INDArray first = nd(m);
      INDArray second = nd(v);
      if (param.shape().size() == 0) {
        return;
      }
      HostKernels.adam(p, g, first, second, new HostKernels.AdamStep(lr, beta1, beta2, eps, weightDecay, step));
    }
  }
}
