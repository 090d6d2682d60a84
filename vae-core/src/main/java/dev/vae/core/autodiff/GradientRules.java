package dev.vae.core.autodiff;

import dev.vae.api.ConvGeometry;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one table of gradient rules, one row per differentiable primitive. Rules are written in
 * tensor math (recording is off while they run). Binary rules un-broadcast: a gradient is summed
 * over the axes its input was broadcast along. A differentiable op without a row fails loudly.
 */
final class GradientRules {
  private static final Map<Op, GradientRule> RULES = new EnumMap<>(Op.class);

  static {
    RULES.put(Op.NEG, (out, g) -> grads(g.neg()));
    RULES.put(Op.EXP, (out, g) -> grads(g.mul(out)));
    RULES.put(Op.LOG, (out, g) -> grads(g.div(in(out, 0))));
    RULES.put(Op.LOG1P, (out, g) -> grads(g.div(in(out, 0).add(1.0))));
    RULES.put(Op.EXPM1, (out, g) -> grads(g.mul(out.add(1.0))));
    RULES.put(Op.SQRT, (out, g) -> grads(g.mul(0.5).div(out)));
    RULES.put(Op.TANH, (out, g) -> grads(g.mul(out.square().rsub(1.0))));
    RULES.put(Op.SIGMOID, (out, g) -> grads(g.mul(out.mul(out.rsub(1.0)))));
    RULES.put(Op.ABS, (out, g) -> grads(g.mul(in(out, 0).sign())));
    RULES.put(Op.SIGN, (out, g) -> grads((Tensor) null));
    RULES.put(Op.LGAMMA, (out, g) -> grads(g.mul(in(out, 0).digamma())));
    RULES.put(Op.DIGAMMA, (out, g) -> grads(g.mul(in(out, 0).unary(Op.TRIGAMMA))));

    RULES.put(Op.ADD, (out, g) -> binary(out, g, g));
    RULES.put(Op.SUB, (out, g) -> binary(out, g, g.neg()));
    RULES.put(Op.MUL, (out, g) -> binary(out, needs(out, 0) ? g.mul(rhs(out)) : null,
        needs(out, 1) ? g.mul(lhs(out)) : null));
    RULES.put(Op.DIV, (out, g) -> binary(out, needs(out, 0) ? g.div(rhs(out)) : null,
        needs(out, 1) ? g.mul(out).div(rhs(out)).neg() : null));
    RULES.put(Op.POW, GradientRules::pow);
    RULES.put(Op.MAX, (out, g) -> select(out, g, picked(out, true)));
    RULES.put(Op.MIN, (out, g) -> select(out, g, picked(out, false)));
    RULES.put(Op.WHERE, GradientRules::where);

    // A one-element gradient (a sum over everything) broadcasts as it is, without a reshape.
    RULES.put(Op.SUM, (out, g) -> grads((g.shape().size() == 1 ? g : expandReduced(out, g))
        .broadcastTo(in(out, 0).shape())));
    RULES.put(Op.REDUCE_MAX, GradientRules::reduceMax);
    RULES.put(Op.MATMUL, GradientRules::matmul);

    RULES.put(Op.RESHAPE, (out, g) -> grads(g.reshape(in(out, 0).shape())));
    RULES.put(Op.PERMUTE, (out, g) -> grads(g.permute(inverse(((Attrs.Permute) out.attr()).permutation()))));
    RULES.put(Op.SLICE, GradientRules::slice);
    RULES.put(Op.CONCAT, GradientRules::concat);
    RULES.put(Op.BROADCAST, (out, g) -> grads(unbroadcast(g, in(out, 0).shape())));
    RULES.put(Op.GATHER, (out, g) -> grads(((Node) g).scatterAddRows(((Attrs.Gather) out.attr()).rows(),
        in(out, 0).shape().dim(0))));
    RULES.put(Op.SCATTER_ADD, (out, g) -> grads(g.gatherRows(((Attrs.Scatter) out.attr()).indices())));
    RULES.put(Op.UNFOLD, (out, g) -> grads(g.fold(in(out, 0).shape(), (ConvGeometry) out.attr())));
    RULES.put(Op.FOLD, (out, g) -> grads(g.unfold((ConvGeometry) out.attr())));
    RULES.put(Op.CAST, (out, g) -> grads(g.cast(in(out, 0).dtype())));

    RULES.put(Op.CHOLESKY, LinalgGradients::cholesky);
    RULES.put(Op.TRIANGULAR_SOLVE, LinalgGradients::triangularSolve);
  }

  /**
   * The rule of an elementwise function whose derivative at the input was computed with its value
   * and kept as the node's attribute (an array of the input's shape): g times that slope.
   */
  static final GradientRule TIMES_SLOPE = (out, g) -> grads(g.mul(keptSlope(out)));

  /**
   * The rule of a sum over each row of a function of a [rows, dims] input whose derivative was
   * computed with its value and kept as the node's attribute ([rows, dims]): g of each row times that
   * row's slope; the second input (data the function compares against) gets none.
   */
  static final GradientRule ROWS_TIMES_SLOPE = (out, g) -> {
    Tensor slope = keptSlope(out);
    return grads(g.reshape(Shape.of(slope.dim(0), 1)).mul(slope), null);
  };

  /** The slope a fused node kept as its attribute, as a tensor that needs no gradient. */
  private static Tensor keptSlope(Node out) {
    return Node.leaf(out.engine(), (NdArray) out.attr(), false);
  }

  private GradientRules() {}

  static GradientRule forOp(Op op) {
    GradientRule rule = RULES.get(op);
    if (rule == null) {
      throw new IllegalStateException("no gradient rule for op " + op);
    }
    return rule;
  }

  static boolean hasRule(Op op) {
    return RULES.containsKey(op);
  }

  private static Tensor[] grads(Tensor... g) {
    return g;
  }

  /** Input k of a node, as a gradient-free tensor. */
  static Tensor in(Node out, int k) {
    return out.inputs()[k].detach();
  }

  /**
   * Whether operand k (0 = left, 1 = right) needs a gradient; for an op with a host scalar, only
   * the tensor side can.
   */
  private static boolean needs(Node out, int k) {
    if (out.attr() instanceof Attrs.Scalar s) {
      return (k == 1) == s.scalarFirst() && out.inputs()[0].requiresGrad();
    }
    return k < out.inputs().length && out.inputs()[k].requiresGrad();
  }

  private static boolean hasScalar(Node out) {
    return out.attr() instanceof Attrs.Scalar;
  }

  /** The left operand of a binary op, materialising a host scalar that came first. */
  private static Tensor lhs(Node out) {
    if (out.attr() instanceof Attrs.Scalar s && s.scalarFirst()) {
      return out.full(Shape.scalar(), s.value());
    }
    return in(out, 0);
  }

  /** The right operand of a binary op, materialising a host scalar that came second. */
  private static Tensor rhs(Node out) {
    if (out.attr() instanceof Attrs.Scalar s) {
      return s.scalarFirst() ? in(out, 0) : out.full(Shape.scalar(), s.value());
    }
    return in(out, 1);
  }

  /**
   * Routes gradients for (lhs, rhs) to the node's inputs: with a host scalar there is one input,
   * which is whichever side is not the scalar.
   */
  private static Tensor[] binary(Node out, Tensor gLhs, Tensor gRhs) {
    if (hasScalar(out)) {
      Tensor g = ((Attrs.Scalar) out.attr()).scalarFirst() ? gRhs : gLhs;
      return grads(g == null ? null : unbroadcast(g, out.inputs()[0].shape()));
    }
    return grads(gLhs == null ? null : unbroadcast(gLhs, out.inputs()[0].shape()),
        gRhs == null ? null : unbroadcast(gRhs, out.inputs()[1].shape()));
  }

  private static Tensor[] pow(Node out, Tensor g) {
    Tensor a = lhs(out);
    Tensor b = rhs(out);
    Tensor gA = needs(out, 0) ? g.mul(b).mul(a.pow(b.sub(1.0))) : null;
    // d/db a^b = a^b ln a, taken as 0 where a = 0 (its limit for b > 0).
    Tensor gB = null;
    if (needs(out, 1)) {
      Tensor positive = a.gt(0.0);
      Tensor safeLog = positive.where(a, a.fullLike(1.0).broadcastTo(a.shape())).log();
      gB = g.mul(out).mul(safeLog);
    }
    return binary(out, gA, gB);
  }

  /**
   * 1 where MAX ({@code max}) or MIN picked its left operand (the left one wins ties), else 0: for
   * MAX {@code right <= left}, for MIN {@code left <= right}; against a scalar, x is the array operand.
   */
  private static Tensor picked(Node out, boolean max) {
    if (out.attr() instanceof Attrs.Scalar s) {
      // MAX(x, s): s <= x; MAX(s, x): x <= s; MIN(x, s): x <= s; MIN(s, x): s <= x.
      return in(out, 0).binary(Op.LE, s.value(), max != s.scalarFirst());
    }
    return max ? in(out, 1).binary(Op.LE, in(out, 0)) : in(out, 0).binary(Op.LE, in(out, 1));
  }

  /** MAX/MIN: the gradient goes to the operand that was picked, as g · mask and g · (1 − mask). */
  private static Tensor[] select(Node out, Tensor g, Tensor lhsPicked) {
    Tensor toLhs = needs(out, 0) ? g.mul(lhsPicked) : null;
    Tensor toRhs = needs(out, 1) ? g.mul(lhsPicked.rsub(1.0)) : null;
    return binary(out, toLhs, toRhs);
  }

  private static Tensor[] where(Node out, Tensor g) {
    Tensor condition = in(out, 0);
    Tensor zero = g.fullLike(0.0);
    Tensor gA = needs(out, 1) ? unbroadcast(condition.where(g, zero), out.inputs()[1].shape()) : null;
    Tensor gB = needs(out, 2) ? unbroadcast(condition.where(zero, g), out.inputs()[2].shape()) : null;
    return grads(null, gA, gB);
  }

  /** A reduction's output (or gradient) reshaped so its reduced axes have size 1. */
  private static Tensor expandReduced(Node out, Tensor t) {
    Attrs.Reduce r = (Attrs.Reduce) out.attr();
    return r.keepDims() ? t : t.reshape(in(out, 0).shape().reduce(r.axes(), true));
  }

  /** The gradient of a max is split evenly between the positions that hold the maximum. */
  private static Tensor[] reduceMax(Node out, Tensor g) {
    Attrs.Reduce r = (Attrs.Reduce) out.attr();
    Tensor x = in(out, 0);
    Tensor hits = x.binary(Op.EQ, expandReduced(out, out.detach()));
    Tensor share = expandReduced(out, g).div(hits.sum(true, r.axes()));
    return grads(hits.mul(share));
  }

  private static Tensor[] matmul(Node out, Tensor g) {
    Attrs.Matmul m = (Attrs.Matmul) out.attr();
    Tensor a = in(out, 0);
    Tensor b = in(out, 1);
    Tensor gA = null;
    Tensor gB = null;
    if (needs(out, 0)) {
      gA = m.transposeA() ? b.matmul(g, m.transposeB(), true) : g.matmul(b, false, !m.transposeB());
    }
    if (needs(out, 1)) {
      gB = m.transposeB() ? g.matmul(a, true, m.transposeA()) : a.matmul(g, !m.transposeA(), false);
    }
    return grads(gA, gB);
  }

  private static Tensor[] slice(Node out, Tensor g) {
    Attrs.Slice s = (Attrs.Slice) out.attr();
    Shape full = in(out, 0).shape();
    Tensor padded = g;
    for (int axis = 0; axis < full.rank(); axis++) {
      int before = s.start()[axis];
      int after = full.dim(axis) - s.end()[axis];
      if (before == 0 && after == 0) {
        continue;
      }
      java.util.List<Tensor> parts = new java.util.ArrayList<>(3);
      if (before > 0) {
        parts.add(padded.full(padded.shape().withDim(axis, before), 0.0));
      }
      parts.add(padded);
      if (after > 0) {
        parts.add(padded.full(padded.shape().withDim(axis, after), 0.0));
      }
      padded = g.factory().concat(parts, axis);
    }
    return grads(padded);
  }

  private static Tensor[] concat(Node out, Tensor g) {
    int axis = ((Attrs.Concat) out.attr()).axis();
    Node[] parts = out.inputs();
    Tensor[] result = new Tensor[parts.length];
    int offset = 0;
    for (int k = 0; k < parts.length; k++) {
      int size = parts[k].shape().dim(axis);
      if (parts[k].requiresGrad()) {
        result[k] = g.slice(axis, offset, offset + size);
      }
      offset += size;
    }
    return result;
  }

  /** Sums {@code g} down to {@code target}, the shape its operand had before broadcasting. */
  static Tensor unbroadcast(Tensor g, Shape target) {
    Shape shape = g.shape();
    if (shape.equals(target)) {
      return g;
    }
    int extra = shape.rank() - target.rank();
    int[] axes = new int[shape.rank()];
    int n = 0;
    for (int i = 0; i < shape.rank(); i++) {
      if (i < extra || (target.dim(i - extra) == 1 && shape.dim(i) != 1)) {
        axes[n++] = i;
      }
    }
    Tensor summed = n == 0 ? g : g.sum(true, java.util.Arrays.copyOf(axes, n));
    return summed.reshape(target);
  }

  private static int[] inverse(int[] permutation) {
    int[] inv = new int[permutation.length];
    for (int i = 0; i < permutation.length; i++) {
      inv[permutation[i]] = i;
    }
    return inv;
  }
}
