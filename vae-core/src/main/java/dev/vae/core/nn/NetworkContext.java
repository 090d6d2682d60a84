package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.core.autodiff.Engine;

/**
 * What a {@link NetworkProvider} builds from: the shape of one example of the data ([m] for rows,
 * [c, h, w] for pictures), the latent dimension d, the encoder's output size (the numbers each
 * example's posterior is made of: 2d for a diagonal Gaussian), the decoder's output size m · k (k parameters per
 * data value; a decoder gives them as rows [n, m · k] or in the data's shape with k channels per
 * data channel, [n, k · c, h, w]), the hidden widths of the
 * encoder's dense part (from the data side) and of the decoder's (from the latent side; null
 * mirrors the encoder's), the activation, the initialiser and the stream it draws from, the dtype,
 * its own options, and the model's {@link Mode}, which its dropout and batch normalisation follow.
 */
public record NetworkContext(Engine engine, Shape dataShape, int latent, int encoderOutputs, int decoderOutputs,
    int[] hidden, int[] decoderHidden, Activation activation, Initializer initializer, Rng rng, DType dtype, Options options,
    Mode mode) {

  /** Copies the widths. */
  public NetworkContext {
    hidden = hidden.clone();
    decoderHidden = decoderHidden == null ? null : decoderHidden.clone();
  }

  /** The number m of values in one example. */
  public int dataDimension() {
    return dataShape.sizeAsInt();
  }

  /** The encoder's hidden widths, a copy. */
  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  /** The decoder's hidden widths from the latent side: the given ones, or the encoder's reversed. */
  @Override
  public int[] decoderHidden() {
    if (decoderHidden != null) {
      return decoderHidden.clone();
    }
    int[] reversed = new int[hidden.length];
    for (int i = 0; i < hidden.length; i++) {
      reversed[i] = hidden[hidden.length - 1 - i];
    }
    return reversed;
  }
}
