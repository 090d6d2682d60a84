package dev.vae.core.autodiff;

import dev.vae.api.Tensor;

/** How one op passes the loss's gradient back to its inputs. */
@FunctionalInterface
interface GradientRule {
  /**
   * Gradients with respect to each input of {@code out}, given the gradient {@code g} with respect
   * to {@code out}; null where an input gets none. Each has its input's shape.
   */
  Tensor[] apply(Node out, Tensor g);
}
