package dev.vae.api.likelihood;

import dev.vae.api.Tensor;
import java.util.Map;

/**
 * What a likelihood is evaluated with: the decoder's unconstrained outputs for a batch
 * ({@code raw}, [n, m · outputsPerDimension], parameter blocks of width m side by side) and the
 * likelihood's own trainable parameters by name.
 */
public record DecoderOutput(Tensor raw, Map<String, Tensor> ownParameters) {
  public DecoderOutput(Tensor raw) {
    this(raw, Map.of());
  }

  /** Block {@code k} of the raw output: columns [k·m, (k+1)·m). */
  public Tensor block(int k, int dimension) {
    return raw.slice(1, k * dimension, (k + 1) * dimension);
  }

  /** One of the likelihood's own parameters. */
  public Tensor own(String name) {
    Tensor t = ownParameters.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no parameter '" + name + "' was passed; have " + ownParameters.keySet());
    }
    return t;
  }

  public int batchSize() {
    return raw.dim(0);
  }
}
