package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import java.util.List;

/**
 * A fully connected layer whose weights are masked, x [n, in] · (W ⊙ M) [in, out] + b [out]: the
 * building block of MADE (Germain et al. 2015), where the mask M lets each output see only the
 * inputs before it in an order. Masked weights get no gradient and keep their first values; they
 * still count among the layer's parameters.
 */
public final class MaskedDense implements Layer {
  private final Parameter weight;
  private final Parameter bias;
  private final double[] mask;

  /**
   * @param mask [in, out] row-major, 1 where input i may reach output j, else 0
   */
  public MaskedDense(String name, Engine engine, int in, int out, double[] mask, Initializer init, Rng rng,
      DType dtype) {
    if (mask.length != in * out) {
      throw new IllegalArgumentException("layer " + name + ": a mask for " + in + " -> " + out + " needs " + in * out
          + " entries, got " + mask.length);
    }
    this.weight = Parameter.fromHost(name + ".weight", engine, init.sample(in, out, rng), Shape.of(in, out), dtype);
    this.bias = Parameter.fromHost(name + ".bias", engine, Initializer.uniform(out, 1.0 / Math.sqrt(in), rng),
        Shape.of(out), dtype);
    this.mask = mask.clone();
  }

  @Override
  public Tensor forward(Tensor input) {
    Tensor masked = weight.tensor().mul(input.factory().fromHost(mask, weight.shape(), input.dtype()));
    return input.matmul(masked).add(bias.tensor());
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }
}
