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
 * and bias [out] drawn as PyTorch's nn.Conv2d draws them: U(±1/sqrt(in · kh · kw)).
 */
public final class Conv2d implements Layer {
  private final String name;
  private final ConvGeometry window;
  private final int channels;
  private final Parameter weight;
  private final Parameter bias;

  public Conv2d(String name, Engine engine, int in, int out, ConvGeometry window, Rng rng, DType dtype) {
    this.name = name;
    this.window = window;
    this.channels = in;
    Shape shape = Shape.of(out, in, window.kernelHeight(), window.kernelWidth());
    this.weight = ConvParameters.uniform(name + ".weight", engine, shape, in * window.taps(), rng, dtype);
    this.bias = ConvParameters.uniform(name + ".bias", engine, Shape.of(out), in * window.taps(), rng, dtype);
  }

  @Override
  public Tensor forward(Tensor input) {
    Tensor images = ConvParameters.images(name, input, channels);
    return Convolutions.addChannelBias(Convolutions.conv2d(images, weight.tensor(), window), bias.tensor());
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }
}
