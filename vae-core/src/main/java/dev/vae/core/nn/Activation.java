package dev.vae.core.nn;

import dev.vae.api.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** The elementwise nonlinearities a network can use between layers, selectable by name. */
public enum Activation {
  IDENTITY(x -> x),
  RELU(Tensor::relu),
  LEAKY_RELU(x -> x.leakyRelu(0.01)),
  ELU(x -> x.elu(1.0)),
  TANH(Tensor::tanh),
  SIGMOID(Tensor::sigmoid),
  SOFTPLUS(Tensor::softplus),
  GELU(Tensor::gelu);

  private final UnaryOperator<Tensor> function;

  Activation(UnaryOperator<Tensor> function) {
    this.function = function;
  }

  public Tensor apply(Tensor x) {
    return function.apply(x);
  }

  /** Looks an activation up by name, case-insensitively, listing the choices when there is none. */
  public static Activation named(String name) {
    for (Activation a : values()) {
      if (a.name().equalsIgnoreCase(name.replace('-', '_'))) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown activation '" + name + "'; choose one of "
        + Arrays.toString(values()).toLowerCase(Locale.ROOT));
  }
}
