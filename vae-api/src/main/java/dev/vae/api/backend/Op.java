package dev.vae.api.backend;

/**
 * The closed set of primitive operations a backend implements. Everything else (softplus,
 * log-sum-exp, KL terms, layers) is composed from these in the core, so its gradient comes for free
 * from one table of rules keyed by this enum.
 */
public enum Op {
  // Elementwise unary, same shape and dtype out.
  NEG(Kind.UNARY),
  EXP(Kind.UNARY),
  LOG(Kind.UNARY),
  LOG1P(Kind.UNARY),
  EXPM1(Kind.UNARY),
  SQRT(Kind.UNARY),
  TANH(Kind.UNARY),
  SIGMOID(Kind.UNARY),
  ABS(Kind.UNARY),
  SIGN(Kind.UNARY),
  LGAMMA(Kind.UNARY),
  DIGAMMA(Kind.UNARY),
  /** The derivative of digamma; itself not differentiable here (no tetragamma). */
  TRIGAMMA(Kind.UNARY, false),

  // Elementwise binary with numpy broadcasting; both operands of one dtype.
  ADD(Kind.BINARY),
  SUB(Kind.BINARY),
  MUL(Kind.BINARY),
  DIV(Kind.BINARY),
  POW(Kind.BINARY),
  MAX(Kind.BINARY),
  MIN(Kind.BINARY),

  // Comparisons: broadcasting, 1 where true and 0 where false, in the operands' dtype. The others
  // compose from these: Tensor's gt and ge are b < a and b <= a.
  EQ(Kind.COMPARE, false),
  LT(Kind.COMPARE, false),
  LE(Kind.COMPARE, false),

  /** where(cond, a, b): a where cond is non-zero, else b; all three broadcast together. */
  WHERE(Kind.SELECT),

  SUM(Kind.REDUCE),
  REDUCE_MAX(Kind.REDUCE),

  /** Matrix product of rank-2 operands or batched rank-3 operands, with optional transposes. */
  MATMUL(Kind.MATMUL),

  RESHAPE(Kind.MOVEMENT),
  PERMUTE(Kind.MOVEMENT),
  SLICE(Kind.MOVEMENT),
  CONCAT(Kind.MOVEMENT),
  BROADCAST(Kind.MOVEMENT),
  /** Rows of axis 0 picked by host indices. */
  GATHER(Kind.MOVEMENT),
  /** The adjoint of GATHER: rows added into a zero array at host indices. */
  SCATTER_ADD(Kind.MOVEMENT),
  /**
   * Image patches as rows (im2col): [n, c, h, w] to [n, oh·ow, c·kh·kw], columns in (channel,
   * kernel row, kernel column) order, zeros where the window overhangs the padding.
   */
  UNFOLD(Kind.MOVEMENT),
  /** The adjoint of UNFOLD (col2im): patch rows summed back into images [n, c, h, w]. */
  FOLD(Kind.MOVEMENT),
  CAST(Kind.MOVEMENT),

  RANDOM_UNIFORM(Kind.RANDOM, false),
  RANDOM_NORMAL(Kind.RANDOM, false),

  /** Lower Cholesky factor of symmetric positive-definite matrices (last two axes). */
  CHOLESKY(Kind.LINALG),
  /** Solves op(A) X = B for triangular A (last two axes). */
  TRIANGULAR_SOLVE(Kind.LINALG);

  /** What family an op belongs to, which fixes the backend method that runs it. */
  public enum Kind {
    UNARY, BINARY, COMPARE, SELECT, REDUCE, MATMUL, MOVEMENT, RANDOM, LINALG
  }

  private final Kind kind;
  private final boolean differentiable;

  Op(Kind kind) {
    this(kind, true);
  }

  Op(Kind kind, boolean differentiable) {
    this.kind = kind;
    this.differentiable = differentiable;
  }

  public Kind kind() {
    return kind;
  }

  /** True if the core must hold a gradient rule for this op (checked by a test). */
  public boolean differentiable() {
    return differentiable;
  }

  /** Throws if this op is not of the kind a backend method expects. */
  public void requireKind(Kind expected) {
    if (kind != expected && !(expected == Kind.BINARY && kind == Kind.COMPARE)) {
      throw new IllegalArgumentException(
          "op " + this + " is a " + kind + " op; this method takes " + expected + " ops");
    }
  }
}
