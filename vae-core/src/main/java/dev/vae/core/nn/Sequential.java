package dev.vae.core.nn;

import dev.vae.api.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/** A network of named stages applied in order: layers with parameters, activations, reshapes. */
public final class Sequential implements Network {
  private final List<String> names;
  private final List<UnaryOperator<Tensor>> stages;
  private final List<Parameter> parameters;
  private final List<Parameter> buffers;

  private Sequential(List<String> names, List<UnaryOperator<Tensor>> stages, List<Parameter> parameters,
      List<Parameter> buffers) {
    this.names = List.copyOf(names);
    this.stages = List.copyOf(stages);
    this.parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
    this.buffers = Collections.unmodifiableList(new ArrayList<>(buffers));
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Tensor forward(Tensor input, BiConsumer<String, Tensor> observer) {
    Tensor h = input;
    for (int i = 0; i < stages.size(); i++) {
      h = stages.get(i).apply(h);
      observer.accept(names.get(i), h);
    }
    return h;
  }

  @Override
  public List<Parameter> parameters() {
    return parameters;
  }

  @Override
  public List<Parameter> buffers() {
    return buffers;
  }

  /** Collects stages in order. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<UnaryOperator<Tensor>> stages = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Parameter> buffers = new ArrayList<>();

    private Builder() {}

    /** A layer, its parameters and buffers joining the network's in order. */
    public Builder layer(String name, Layer layer) {
      parameters.addAll(layer.parameters());
      buffers.addAll(layer.buffers());
      return stage(name, layer::forward);
    }

    /** A stage without parameters (an activation, a reshape). */
    public Builder stage(String name, UnaryOperator<Tensor> stage) {
      names.add(name);
      stages.add(stage);
      return this;
    }

    public Sequential build() {
      return new Sequential(names, stages, parameters, buffers);
    }
  }
}
