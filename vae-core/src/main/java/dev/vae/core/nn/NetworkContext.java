package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.core.autodiff.Engine;

/**
 * What a {@link NetworkProvider} builds from: the data dimension m, the latent dimension d, the
 * decoder's output width m · k (k parameters per data dimension), the hidden widths and activation
 * of its dense part, the initialiser and the stream it draws from, the dtype, its own options, and
 * the model's {@link Mode}, which its dropout and batch normalisation layers follow.
 */
public record NetworkContext(Engine engine, int dataDimension, int latent, int decoderOutputs, int[] hidden,
    Activation activation, Initializer initializer, Rng rng, DType dtype, Options options, Mode mode) {

  /** Copies the widths. */
  public NetworkContext {
    hidden = hidden.clone();
  }

  /** The hidden widths, a copy. */
  @Override
  public int[] hidden() {
    return hidden.clone();
  }
}
