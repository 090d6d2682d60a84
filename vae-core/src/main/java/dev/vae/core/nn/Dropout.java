package dev.vae.core.nn;

import dev.vae.api.Tensor;
import java.util.List;

/**
 * Dropout: in training, each element is zeroed with probability p and the rest scaled by 1/(1 − p),
 * the mask drawn from the training pass's stream ({@link Mode}); in evaluation, the identity.
 */
public final class Dropout implements Layer {
  private final double p;
  private final Mode mode;

  public Dropout(String name, double p, Mode mode) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout " + name + ": the probability of dropping must be in [0, 1), got "
          + p);
    }
    this.p = p;
    this.mode = mode;
  }

  @Override
  public Tensor forward(Tensor input) {
    if (!mode.training() || p == 0) {
      return input;
    }
    Tensor kept = input.factory().uniform(mode.noise(), input.shape(), input.dtype()).lt(1 - p);
    return input.mul(kept).div(1 - p);
  }

  @Override
  public List<Parameter> parameters() {
    return List.of();
  }
}
