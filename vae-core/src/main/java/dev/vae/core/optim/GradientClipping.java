package dev.vae.core.optim;

import dev.vae.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Rescales gradients so their global L2 norm is at most a bound (Pascanu et al. 2013). */
public final class GradientClipping {
  private GradientClipping() {}

  /** The global L2 norm of all gradients together (one host read). */
  public static double globalNorm(List<Tensor> grads) {
    Tensor total = null;
    for (Tensor g : grads) {
      Tensor s = g.square().sum();
      total = total == null ? s : total.add(s);
    }
    return total == null ? 0.0 : Math.sqrt(total.item());
  }

  /** The gradients scaled by maxNorm / norm when their global norm exceeds maxNorm, else as they are. */
  public static List<Tensor> clipByGlobalNorm(List<Tensor> grads, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
    }
    double norm = globalNorm(grads);
    if (norm <= maxNorm) {
      return grads;
    }
    double scale = maxNorm / norm;
    List<Tensor> clipped = new ArrayList<>(grads.size());
    for (Tensor g : grads) {
      clipped.add(g.mul(scale));
    }
    return clipped;
  }
}
