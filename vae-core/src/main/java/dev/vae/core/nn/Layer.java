package dev.vae.core.nn;

import dev.vae.api.Tensor;
import java.util.List;

/** A differentiable function of a batch with trainable parameters, e.g. a dense layer or an MLP. */
public interface Layer {
  /** Maps a batch [n, in] to [n, out]. */
  Tensor forward(Tensor input);

  /** The trainable parameters, in a stable order (checkpoints and optimizers rely on it). */
  List<Parameter> parameters();

  /**
   * State that is not trained but saved with the parameters (batch normalisation's running
   * statistics), in a stable order; none by default.
   */
  default List<Parameter> buffers() {
    return List.of();
  }
}
