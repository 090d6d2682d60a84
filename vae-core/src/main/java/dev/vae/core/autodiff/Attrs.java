package dev.vae.core.autodiff;

/** The non-tensor arguments an op was called with, kept on its node for the gradient rule. */
final class Attrs {
  private Attrs() {}

  /** A binary op whose second operand is a host scalar; first when {@code scalarFirst}. */
  record Scalar(double value, boolean scalarFirst) {}

  record Reduce(int[] axes, boolean keepDims) {}

  record Matmul(boolean transposeA, boolean transposeB) {}

  record Permute(int[] permutation) {}

  record Slice(int[] start, int[] end) {}

  record Concat(int axis) {}

  record Gather(int[] rows) {}

  record Scatter(int[] indices, int rows) {}

  record Solve(boolean lower, boolean transposeA) {}
}
