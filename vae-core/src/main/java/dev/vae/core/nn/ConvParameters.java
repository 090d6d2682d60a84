package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;

/** What the convolution layers share: their initial values and the check of their input. */
final class ConvParameters {
  private ConvParameters() {}

  /** A parameter drawn from U(±1/sqrt(fanIn)), PyTorch's default for convolutions. */
  static Parameter uniform(String name, Engine engine, Shape shape, int fanIn, Rng rng, DType dtype) {
    return Parameter.fromHost(name, engine, Initializer.uniform(shape.sizeAsInt(), 1 / Math.sqrt(fanIn), rng), shape,
        dtype);
  }

  /** The input if it is images [n, channels, h, w]; otherwise fails naming the layer and both shapes. */
  static Tensor images(String layer, Tensor input, int channels) {
    if (input.rank() != 4 || input.dim(1) != channels) {
      throw new IllegalArgumentException("layer " + layer + " expects images [n, " + channels + ", h, w], got "
          + input.shape());
    }
    return input;
  }
}
