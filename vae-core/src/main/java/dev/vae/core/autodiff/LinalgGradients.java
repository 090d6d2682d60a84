package dev.vae.core.autodiff;

import dev.vae.api.Shape;
import dev.vae.api.Tensor;

/**
 * Gradient rules of the linear-algebra primitives, kept apart from the elementwise table because
 * they need a few matrix identities.
 */
final class LinalgGradients {
  private LinalgGradients() {}

  /**
   * Cholesky, after Murray (2016), "Differentiation of the Cholesky decomposition": with
   * P = Φ(Lᵀ L̄), where Φ keeps the lower triangle and halves the diagonal, S = L⁻ᵀ P L⁻¹ and the
   * gradient with respect to the symmetric input is (S + Sᵀ) / 2.
   */
  static Tensor[] cholesky(Node out, Tensor g) {
    Tensor l = out.detach();
    int n = l.shape().dim(-1);
    Tensor p = batchedMatmul(l, g, true, false).mul(triangleMask(l, n, true, 0.5));
    Tensor x = l.triangularSolve(p, true, true);
    Tensor s = l.triangularSolve(x.transpose(), true, true).transpose();
    return new Tensor[] {s.add(s.transpose()).mul(0.5)};
  }

  /**
   * Triangular solve X = op(A)⁻¹ B: B̄ = op(A)⁻ᵀ X̄, and Ā is -B̄ Xᵀ (or its transpose when A was
   * transposed) restricted to A's triangle.
   */
  static Tensor[] triangularSolve(Node out, Tensor g) {
    Attrs.Solve s = (Attrs.Solve) out.attr();
    Tensor a = GradientRules.in(out, 0);
    Tensor x = out.detach();
    Tensor gB = a.triangularSolve(g, s.lower(), !s.transposeA());
    Tensor gA = null;
    if (out.inputs()[0].requiresGrad()) {
      Tensor outer = s.transposeA() ? batchedMatmul(x, gB, false, true) : batchedMatmul(gB, x, false, true);
      int n = a.shape().dim(-1);
      gA = outer.neg().mul(triangleMask(a, n, s.lower(), 1.0));
    }
    return new Tensor[] {gA, out.inputs()[1].requiresGrad() ? gB : null};
  }

  /** Matrix product over any number of leading batch axes (equal in both operands). */
  static Tensor batchedMatmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
    if (a.rank() <= 3) {
      return a.matmul(b, transposeA, transposeB);
    }
    Shape sa = a.shape();
    Shape sb = b.shape();
    int batch = (int) (sa.size() / ((long) sa.dim(-2) * sa.dim(-1)));
    Tensor product = a.reshape(batch, sa.dim(-2), sa.dim(-1))
        .matmul(b.reshape(batch, sb.dim(-2), sb.dim(-1)), transposeA, transposeB);
    int[] dims = sa.dims();
    dims[dims.length - 2] = product.dim(-2);
    dims[dims.length - 1] = product.dim(-1);
    return product.reshape(dims);
  }

  /** An n×n mask with ones strictly inside the lower (or upper) triangle and {@code diagonal} on it. */
  private static Tensor triangleMask(Tensor like, int n, boolean lower, double diagonal) {
    double[] mask = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        mask[i * n + j] = i == j ? diagonal : (lower ? i > j : i < j) ? 1.0 : 0.0;
      }
    }
    return like.factory().fromHost(mask, Shape.of(n, n), like.dtype());
  }
}
