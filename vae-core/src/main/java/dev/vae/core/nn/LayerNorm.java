package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import java.util.Arrays;
import java.util.List;

/**
 * Layer normalisation (Ba et al. 2016) as PyTorch's LayerNorm over every axis but the batch's: each
 * example is normalised by its own mean and biased variance, then scaled and shifted element by
 * element (learned, from 1 and 0). The same in training and evaluation.
 */
public final class LayerNorm implements Layer {
  private static final double EPSILON = 1e-5;

  private final String name;
  private final Parameter scale;
  private final Parameter shift;

  /** Normalises examples of the given shape (an example's, without the batch axis). */
  public LayerNorm(String name, Engine engine, Shape example, DType dtype) {
    this.name = name;
    double[] ones = new double[example.sizeAsInt()];
    Arrays.fill(ones, 1);
    this.scale = Parameter.fromHost(name + ".weight", engine, ones, example, dtype);
    this.shift = Parameter.fromHost(name + ".bias", engine, new double[ones.length], example, dtype);
  }

  @Override
  public Tensor forward(Tensor input) {
    Shape example = scale.shape();
    if (input.rank() != example.rank() + 1 || !Arrays.equals(Arrays.copyOfRange(input.shape().dims(), 1,
        input.rank()), example.dims())) {
      throw new IllegalArgumentException("layer " + name + " normalises examples of shape " + example + ", got "
          + input.shape());
    }
    int[] axes = new int[example.rank()];
    Arrays.setAll(axes, i -> i + 1);
    Tensor centred = input.sub(input.mean(true, axes));
    Tensor normalised = centred.div(centred.square().mean(true, axes).add(EPSILON).sqrt());
    return normalised.mul(scale.tensor()).add(shift.tensor());
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(scale, shift);
  }
}
