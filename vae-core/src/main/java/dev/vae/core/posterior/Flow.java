package dev.vae.core.posterior;

import dev.vae.api.Tensor;
import dev.vae.core.nn.Parameter;
import java.util.List;

/**
 * An invertible map applied to draws z₀ of a base posterior, as K steps whose weights are shared
 * by every example and which may read a per-example context from the encoder (amortised flows).
 * q(z|x) is q₀(z₀|x) pushed through it: log q(z|x) = log q₀(z₀|x) − log|det ∂z/∂z₀|.
 */
public interface Flow {
  /** The provider's name, e.g. "planar". */
  String name();

  /** The number of steps K. */
  int steps();

  /** The numbers per example it reads from the encoder beside the base posterior's (0: none). */
  int contextSize();

  /**
   * z [N, d] from draws z₀ [N, d] and their examples' context [N, {@link #contextSize()}] (null when
   * it reads none), with log|det ∂z/∂z₀| [N]: the steps in order, their log-determinants summed.
   */
  default Transformed forward(Tensor z0, Tensor context) {
    Transformed flowed = step(0, z0, context);
    for (int k = 1; k < steps(); k++) {
      Transformed next = step(k, flowed.z(), context);
      flowed = new Transformed(next.z(), flowed.logDeterminant().add(next.logDeterminant()));
    }
    return flowed;
  }

  /** Step k alone on z [N, d], with the examples' context as in {@link #forward}. */
  Transformed step(int k, Tensor z, Tensor context);

  /** The steps' weights, in order. */
  List<Parameter> parameters();

  /** z and the log-determinant of the Jacobian of the map from the base posterior's draw to it, [N]. */
  record Transformed(Tensor z, Tensor logDeterminant) {}
}
