package dev.vae.core.autodiff;

import dev.vae.api.ConvGeometry;
import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.TensorFactory;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's tensor: a backend array plus, when it requires a gradient, the op and inputs that
 * made it. Nodes are immutable; the graph they form is walked backwards by {@link Backpropagation}.
 */
final class Node implements Tensor {
  private static final Node[] NO_INPUTS = new Node[0];

  private final Engine engine;
  private final NdArray value;
  private final String opName;
  private final GradientRule rule;
  private final Node[] inputs;
  private final Object attr;
  private final boolean requiresGrad;

  private Node(Engine engine, NdArray value, String opName, GradientRule rule, Node[] inputs, Object attr,
      boolean requiresGrad) {
    this.engine = engine;
    this.value = value;
    this.opName = opName;
    this.rule = rule;
    this.inputs = inputs;
    this.attr = attr;
    this.requiresGrad = requiresGrad;
  }

  static Node leaf(Engine engine, NdArray value, boolean requiresGrad) {
    return new Node(engine, value, null, null, NO_INPUTS, null, requiresGrad);
  }

  /**
   * Records a result when recording is on, the op is differentiable and an input needs a gradient;
   * otherwise returns a plain leaf.
   */
  private Node result(NdArray out, Op op, Object attr, Node... in) {
    if (!op.differentiable()) {
      return leaf(engine, out, false);
    }
    return recorded(out, op.name(), GradientRules.forOp(op), attr, in);
  }

  /** Records the result of a computation that {@code rule} differentiates, when it needs recording. */
  private Node recorded(NdArray out, String name, GradientRule gradient, Object attr, Node... in) {
    return engine.needsGradient(in) ? new Node(engine, out, name, gradient, in, attr, true) : leaf(engine, out, false);
  }

  /** A fused kernel's value, recorded with {@code rule} over the slope that came with it when an input needs it. */
  static Node recordedWithSlope(Engine engine, FusedKernel.ValueAndSlope both, String name, GradientRule rule,
      Node... in) {
    return in[0].recorded(both.value(), name, rule, both.slope(), in);
  }

  static Node concat(Engine engine, List<Node> parts, int axis) {
    List<NdArray> arrays = new ArrayList<>(parts.size());
    for (Node p : parts) {
      arrays.add(p.value);
    }
    NdArray out = engine.backend().concat(arrays, axis);
    int ax = parts.get(0).shape().normaliseAxis(axis);
    return parts.get(0).result(out, Op.CONCAT, new Attrs.Concat(ax), parts.toArray(NO_INPUTS));
  }

  Engine engine() {
    return engine;
  }

  NdArray value() {
    return value;
  }

  /** The name of the op that made this node, null for a leaf. */
  String opName() {
    return opName;
  }

  /** How gradients pass through the op that made this node, null for a leaf. */
  GradientRule rule() {
    return rule;
  }

  Node[] inputs() {
    return inputs;
  }

  Object attr() {
    return attr;
  }

  private Backend backend() {
    return engine.backend();
  }

  @Override
  public Shape shape() {
    return value.shape();
  }

  @Override
  public DType dtype() {
    return value.dtype();
  }

  @Override
  public TensorFactory factory() {
    return engine;
  }

  @Override
  public boolean requiresGrad() {
    return requiresGrad;
  }

  @Override
  public Tensor detach() {
    return requiresGrad ? leaf(engine, value, false) : this;
  }

  @Override
  public Tensor unary(Op op) {
    op.requireKind(Op.Kind.UNARY);
    return result(backend().unary(op, value), op, null, this);
  }

  @Override
  public Tensor binary(Op op, Tensor other) {
    Node b = engine.node(other);
    return result(backend().binary(op, value, b.value), op, null, this, b);
  }

  @Override
  public Tensor binary(Op op, double scalar, boolean scalarFirst) {
    NdArray s = backend().full(Shape.scalar(), dtype(), scalar);
    NdArray out = scalarFirst ? backend().binary(op, s, value) : backend().binary(op, value, s);
    s.close();
    return result(out, op, new Attrs.Scalar(scalar, scalarFirst), this);
  }

  @Override
  public Tensor where(Tensor ifTrue, Tensor ifFalse) {
    Node a = engine.node(ifTrue);
    Node b = engine.node(ifFalse);
    return result(backend().where(value, a.value, b.value), Op.WHERE, null, this, a, b);
  }

  @Override
  public Tensor sum(boolean keepDims, int... axes) {
    return reduce(Op.SUM, keepDims, axes);
  }

  @Override
  public Tensor max(boolean keepDims, int... axes) {
    return reduce(Op.REDUCE_MAX, keepDims, axes);
  }

  private Tensor reduce(Op op, boolean keepDims, int[] axes) {
    int[] normalised = shape().normaliseAxes(axes);
    return result(backend().reduce(op, value, normalised, keepDims), op,
        new Attrs.Reduce(normalised, keepDims), this);
  }

  @Override
  public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
    Node b = engine.node(other);
    return result(backend().matmul(value, b.value, transposeThis, transposeOther), Op.MATMUL,
        new Attrs.Matmul(transposeThis, transposeOther), this, b);
  }

  @Override
  public Tensor reshape(Shape shape) {
    if (shape.equals(shape())) {
      return this;
    }
    return result(backend().reshape(value, shape), Op.RESHAPE, null, this);
  }

  @Override
  public Tensor permute(int... permutation) {
    return result(backend().permute(value, permutation), Op.PERMUTE,
        new Attrs.Permute(permutation.clone()), this);
  }

  @Override
  public Tensor slice(int[] start, int[] end) {
    return result(backend().slice(value, start, end), Op.SLICE,
        new Attrs.Slice(start.clone(), end.clone()), this);
  }

  @Override
  public Tensor broadcastTo(Shape shape) {
    if (shape.equals(shape())) {
      return this;
    }
    return result(backend().broadcastTo(value, shape), Op.BROADCAST, null, this);
  }

  @Override
  public Tensor gatherRows(int... rows) {
    return result(backend().gather(value, rows), Op.GATHER, new Attrs.Gather(rows.clone()), this);
  }

  /** The adjoint of {@link #gatherRows}: rows added into a zero tensor of {@code rows} rows. */
  Tensor scatterAddRows(int[] indices, int rows) {
    return result(backend().scatterAdd(value, indices, rows), Op.SCATTER_ADD,
        new Attrs.Scatter(indices.clone(), rows), this);
  }

  @Override
  public Tensor unfold(ConvGeometry window) {
    return result(backend().unfold(value, window), Op.UNFOLD, window, this);
  }

  @Override
  public Tensor fold(Shape imageShape, ConvGeometry window) {
    return result(backend().fold(value, imageShape, window), Op.FOLD, window, this);
  }

  @Override
  public Tensor cast(DType dtype) {
    if (dtype == dtype()) {
      return this;
    }
    return result(backend().cast(value, dtype), Op.CAST, null, this);
  }

  @Override
  public Tensor cholesky() {
    return result(backend().cholesky(value), Op.CHOLESKY, null, this);
  }

  @Override
  public Tensor triangularSolve(Tensor b, boolean lower, boolean transposeThis) {
    Node rhs = engine.node(b);
    return result(backend().triangularSolve(value, rhs.value, lower, transposeThis), Op.TRIANGULAR_SOLVE,
        new Attrs.Solve(lower, transposeThis), this, rhs);
  }

  @Override
  public double[] toDoubles() {
    return backend().toDoubles(value);
  }

  @Override
  public float[] toFloats() {
    return backend().toFloats(value);
  }

  @Override
  public String toString() {
    return "Tensor" + shape() + " " + dtype() + (opName == null ? "" : " <- " + opName)
        + (requiresGrad ? " (requires grad)" : "");
  }
}
