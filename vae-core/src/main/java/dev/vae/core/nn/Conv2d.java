package dev.vae.core.nn;

import dev.vae.api.ConvGeometry;
import dev.vae.api.Convolutions;
import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import java.util.List;

/**
 * A 2-D convolution layer, images [n, in, h, w] to [n, out, oh, ow], with weight [out, in, kh, kw]
 * and bias [out], or its transpose ({@link #transposed}) with weight [in, out, kh, kw], as PyTorch's
 * nn.Conv2d and nn.ConvTranspose2d; both draw weight and bias from U(±1/sqrt(fan-in)), the fan-in
 * being in · kh · kw for a convolution and out · kh · kw for a transposed one, as PyTorch does.
 */
public final class Conv2d implements Layer {
  private final String name;
  private final ConvGeometry window;
  private final int channels;
  private final boolean transposed;
  private final Parameter weight;
  private final Parameter bias;

  /** A convolution from {@code in} to {@code out} channels. */
  public Conv2d(String name, Engine engine, int in, int out, ConvGeometry window, Rng rng, DType dtype) {
    this(name, engine, in, out, window, false, rng, dtype);
  }

  /**
   * A transposed convolution from {@code in} to {@code out} channels: the adjoint of a convolution
   * under {@code window}.
   */
  public static Conv2d transposed(String name, Engine engine, int in, int out, ConvGeometry window, Rng rng,
      DType dtype) {
    return new Conv2d(name, engine, in, out, window, true, rng, dtype);
  }

  private Conv2d(String name, Engine engine, int in, int out, ConvGeometry window, boolean transposed, Rng rng,
      DType dtype) {
    this.name = name;
    this.window = window;
    this.channels = in;
    this.transposed = transposed;
    Shape shape = transposed ? Shape.of(in, out, window.kernelHeight(), window.kernelWidth())
        : Shape.of(out, in, window.kernelHeight(), window.kernelWidth());
    double bound = 1 / Math.sqrt((transposed ? out : in) * window.taps());
    this.weight = Parameter.fromHost(name + ".weight", engine, Initializer.uniform(shape.sizeAsInt(), bound, rng),
        shape, dtype);
    this.bias = Parameter.fromHost(name + ".bias", engine, Initializer.uniform(out, bound, rng), Shape.of(out), dtype);
  }

  @Override
  public Tensor forward(Tensor input) {
    if (input.rank() != 4 || input.dim(1) != channels) {
      throw new IllegalArgumentException("layer " + name + " expects images [n, " + channels + ", h, w], got "
          + input.shape());
    }
    Tensor images = transposed ? Convolutions.convTranspose2d(input, weight.tensor(), window)
        : Convolutions.conv2d(input, weight.tensor(), window);
    return Convolutions.addChannelBias(images, bias.tensor());
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }
}
