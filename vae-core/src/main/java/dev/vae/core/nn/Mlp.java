package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A multilayer perceptron: dense layers with one activation between them and a linear output.
 * Built with {@link #builder}.
 */
public final class Mlp implements Network {
  private final List<Dense> layers;
  private final Activation activation;

  private Mlp(List<Dense> layers, Activation activation) {
    this.layers = List.copyOf(layers);
    this.activation = activation;
  }

  public static Builder builder(Engine engine) {
    return new Builder(engine);
  }

  /** The forward pass, showing each layer's output (after its activation) to an observer. */
  @Override
  public Tensor forward(Tensor input, BiConsumer<String, Tensor> observer) {
    Tensor h = input;
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).forward(h);
      if (i < layers.size() - 1) {
        h = activation.apply(h);
      }
      observer.accept(layers.get(i).name(), h);
    }
    return h;
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    for (Dense d : layers) {
      all.addAll(d.parameters());
    }
    return Collections.unmodifiableList(all);
  }

  public List<Dense> layers() {
    return layers;
  }

  /** Configures an {@link Mlp}: sizes from input to output, activation, initialiser, seed, dtype. */
  public static final class Builder {
    private final Engine engine;
    private final List<Integer> sizes = new ArrayList<>();
    private Activation activation = Activation.RELU;
    private Initializer initializer = Initializer.LECUN_UNIFORM;
    private Rng rng = new Rng(0);
    private DType dtype = DType.FLOAT32;
    private String name = "mlp";

    private Builder(Engine engine) {
      this.engine = engine;
    }

    /** Layer widths from the input size to the output size, e.g. 784, 400, 40. */
    public Builder sizes(int... widths) {
      sizes.clear();
      for (int w : widths) {
        sizes.add(w);
      }
      return this;
    }

    /** Widths {@code in}, then the hidden widths, then {@code out}. */
    public Builder sizes(int in, int[] hidden, int out) {
      int[] widths = new int[hidden.length + 2];
      widths[0] = in;
      System.arraycopy(hidden, 0, widths, 1, hidden.length);
      widths[hidden.length + 1] = out;
      return sizes(widths);
    }

    public Builder activation(Activation activation) {
      this.activation = activation;
      return this;
    }

    public Builder initializer(Initializer initializer) {
      this.initializer = initializer;
      return this;
    }

    /** The stream initial weights are drawn from (advanced as layers are made). */
    public Builder rng(Rng rng) {
      this.rng = rng;
      return this;
    }

    public Builder dtype(DType dtype) {
      this.dtype = dtype;
      return this;
    }

    /** Prefix of the parameter names, e.g. "encoder". */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Mlp build() {
      if (sizes.size() < 2) {
        throw new IllegalArgumentException("an MLP needs at least an input and an output size, got " + sizes);
      }
      List<Dense> layers = new ArrayList<>();
      for (int i = 0; i + 1 < sizes.size(); i++) {
        layers.add(new Dense(name + "." + i, engine, sizes.get(i), sizes.get(i + 1), initializer, rng, dtype));
      }
      return new Mlp(layers, activation);
    }
  }
}
