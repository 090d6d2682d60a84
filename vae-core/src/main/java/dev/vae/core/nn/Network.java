package dev.vae.core.nn;

import dev.vae.api.Tensor;
import java.util.function.BiConsumer;

/**
 * An encoder or decoder: a {@link Layer} from a batch [n, in] to a batch [n, out] that can show
 * each of its stages' outputs, so a non-finite value can be traced to the layer that made it. The
 * built-in ones come from a {@link NetworkProvider}; any class implementing this works too.
 */
public interface Network extends Layer {
  /** The forward pass, showing the output of each named stage to an observer. */
  Tensor forward(Tensor input, BiConsumer<String, Tensor> observer);

  @Override
  default Tensor forward(Tensor input) {
    return forward(input, (stage, output) -> { });
  }
}
