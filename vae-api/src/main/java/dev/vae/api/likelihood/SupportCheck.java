package dev.vae.api.likelihood;

import dev.vae.api.Tensor;
import java.util.function.UnaryOperator;

/** Checks data against a likelihood's support, and masks log-densities when checks are off. */
final class SupportCheck {
  private SupportCheck() {}

  /** Throws naming the first value outside the support; reads back one number when all is well. */
  static void require(Likelihood likelihood, Tensor x) {
    Support support = likelihood.support();
    if (support.tensorTest().isPresent()) {
      double inside = support.tensorTest().get().apply(x.detach()).sum().item();
      if (inside == x.shape().size()) {
        return;
      }
    }
    double[] values = x.toDoubles();
    int m = x.dim(1);
    for (int i = 0; i < values.length; i++) {
      if (!support.contains(values[i])) {
        throw likelihood.outsideSupport("x[" + (i / m) + ", " + (i % m) + "]", values[i]);
      }
    }
  }

  /** log-density with -infinity for every example holding a value outside the support. */
  static Tensor maskOutside(Support support, Tensor x, Tensor logDensity) {
    if (support.tensorTest().isEmpty()) {
      return logDensity;
    }
    UnaryOperator<Tensor> test = support.tensorTest().get();
    Tensor rowInside = test.apply(x.detach()).sum(false, 1).ge(x.dim(1));
    return rowInside.where(logDensity, logDensity.fullLike(Double.NEGATIVE_INFINITY));
  }
}
