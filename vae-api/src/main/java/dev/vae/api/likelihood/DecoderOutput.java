package dev.vae.api.likelihood;

import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import java.util.Collections;
import java.util.Map;

/**
 * What a likelihood is evaluated with: the decoder's unconstrained outputs for a batch, the
 * likelihood's own trainable parameters by name, and the name of the layer that made the outputs
 * (for error messages; empty when unknown).
 *
 * <p>The likelihood's k parameter groups are stacked along axis 1. {@link #shaped()} gives the
 * outputs in the data's own shape: [n, k·m] for rows of m values, [n, k·c, h, w] for pictures of c
 * channels (group j is channels [j·c, (j+1)·c)). {@link #raw()} gives the same numbers as rows
 * [n, k·m], in which group j is the columns [j·m, (j+1)·m): the form elementwise likelihoods compute
 * on. A decoder may make either form; the other is a reshape made when first asked for.
 */
public final class DecoderOutput {
  private final Tensor outputs;
  private final Map<String, Tensor> ownParameters;
  private final String layer;
  private final Shape shape;
  private Tensor rows;
  private Tensor shaped;

  /**
   * The decoder's outputs (as rows or in the data's shape), the likelihood's own parameters, the
   * layer that made the outputs, and the outputs' shape in the data's form ([n, k·m] or
   * [n, k·c, h, w]; as many values as the outputs).
   */
  public DecoderOutput(Tensor outputs, Map<String, Tensor> ownParameters, String layer, Shape shape) {
    if (outputs.shape().rank() < 2 || shape.rank() < 2 || shape.size() != outputs.shape().size()
        || shape.dim(0) != outputs.dim(0)) {
      throw new IllegalArgumentException("decoder output of shape " + outputs.shape() + " cannot be read as a batch"
          + " of shape " + shape + "; expected [n, ...] holding as many values");
    }
    this.outputs = outputs;
    this.ownParameters = Collections.unmodifiableMap(ownParameters);
    this.layer = layer;
    this.shape = shape;
  }

  /** Outputs already in the data's form, no layer named. */
  public DecoderOutput(Tensor outputs, Map<String, Tensor> ownParameters) {
    this(outputs, ownParameters, "", outputs.shape());
  }

  /** Outputs already in the data's form, with no parameters of the likelihood's own. */
  public DecoderOutput(Tensor outputs) {
    this(outputs, Map.of());
  }

  /** The outputs in the data's own shape, groups along axis 1: [n, k·m] for rows, [n, k·c, h, w] for pictures. */
  public Tensor shaped() {
    if (shaped == null) {
      shaped = outputs.reshape(shape);
    }
    return shaped;
  }

  /** The shape of {@link #shaped()}. */
  public Shape shape() {
    return shape;
  }

  /** The outputs as rows [n, k·m], parameter groups of width m side by side. */
  public Tensor raw() {
    if (rows == null) {
      rows = outputs.reshape(batchSize(), outputs.shape().sizeAsInt() / batchSize());
    }
    return rows;
  }

  /** Group {@code k} of the outputs as rows: columns [k·m, (k+1)·m) of {@link #raw()}. */
  public Tensor block(int k, int dimension) {
    return raw().slice(1, k * dimension, (k + 1) * dimension);
  }

  /** Group {@code k} of {@code groups} in the data's own shape: [n, m] for rows, [n, c, h, w] for pictures. */
  public Tensor shapedBlock(int k, int groups) {
    int width = shape.dim(1) / groups;
    return groups == 1 ? shaped() : shaped().slice(1, k * width, (k + 1) * width);
  }

  /** One of the likelihood's own parameters. */
  public Tensor own(String name) {
    Tensor t = ownParameters.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no parameter '" + name + "' was passed; have " + ownParameters.keySet());
    }
    return t;
  }

  /** The likelihood's own parameters by name. */
  public Map<String, Tensor> ownParameters() {
    return ownParameters;
  }

  /** The layer that made the outputs, e.g. "decoder.deconv0", or empty. */
  public String layer() {
    return layer;
  }

  public int batchSize() {
    return outputs.dim(0);
  }
}
