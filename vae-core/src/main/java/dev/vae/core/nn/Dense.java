package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import java.util.List;

/** A fully connected layer: x [n, in] · W [in, out] + b [out]. */
public final class Dense implements Layer {
  private final Parameter weight;
  private final Parameter bias;

  /**
   * A layer with weights from {@code init} and biases from PyTorch's default U(±1/sqrt(in)) when
   * the weights use {@link Initializer#LECUN_UNIFORM}, else zeros.
   */
  public Dense(String name, Engine engine, int in, int out, Initializer init, Rng rng, DType dtype) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("layer " + name + " needs positive sizes, got " + in + " -> " + out);
    }
    this.weight = Parameter.fromHost(name + ".weight", engine, init.sample(in, out, rng), Shape.of(in, out), dtype);
    double[] b = init == Initializer.LECUN_UNIFORM
        ? Initializer.uniform(out, 1.0 / Math.sqrt(in), rng)
        : new double[out];
    this.bias = Parameter.fromHost(name + ".bias", engine, b, Shape.of(out), dtype);
  }

  /** The layer's name, e.g. "encoder.0". */
  public String name() {
    return weight.name().substring(0, weight.name().length() - ".weight".length());
  }

  public int inputSize() {
    return weight.shape().dim(0);
  }

  public int outputSize() {
    return weight.shape().dim(1);
  }

  @Override
  public Tensor forward(Tensor input) {
    if (input.rank() != 2 || input.dim(1) != inputSize()) {
      throw new IllegalArgumentException("layer " + name()
          + " expects input [n, " + inputSize() + "], got " + input.shape());
    }
    return input.matmul(weight.tensor()).add(bias.tensor());
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }
}
