package dev.vae.core.nn;

import dev.vae.api.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The elementwise nonlinearities a network can use between layers, selectable by name, each
 * composed from tensor primitives (so differentiated by the primitives' rules).
 */
public enum Activation {
  IDENTITY(x -> x),
  /** max(x, 0). */
  RELU(x -> x.maximum(0.0)),
  /** x for x > 0, else 0.01 x. */
  LEAKY_RELU(x -> x.gt(0.0).where(x, x.mul(0.01))),
  /** x for x > 0, else exp(x) − 1. */
  ELU(x -> x.gt(0.0).where(x, x.minimum(0.0).expm1())),
  TANH(Tensor::tanh),
  SIGMOID(Tensor::sigmoid),
  SOFTPLUS(Tensor::softplus),
  /** GELU in its tanh form, 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))). */
  GELU(x -> {
    Tensor inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
    return x.mul(inner.tanh().add(1.0)).mul(0.5);
  });

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
