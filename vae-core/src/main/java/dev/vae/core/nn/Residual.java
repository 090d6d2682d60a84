package dev.vae.core.nn;

import dev.vae.api.Tensor;
import java.util.List;

/** A residual block: x + f(x), for any layer f that keeps its input's shape (He et al. 2016). */
public final class Residual implements Layer {
  private final String name;
  private final Layer body;

  public Residual(String name, Layer body) {
    this.name = name;
    this.body = body;
  }

  @Override
  public Tensor forward(Tensor input) {
    Tensor change = body.forward(input);
    if (!change.shape().equals(input.shape())) {
      throw new IllegalArgumentException("residual block " + name + " changes its input " + input.shape() + " into "
          + change.shape() + "; a residual block must keep the shape");
    }
    return input.add(change);
  }

  @Override
  public List<Parameter> parameters() {
    return body.parameters();
  }

  @Override
  public List<Parameter> buffers() {
    return body.buffers();
  }
}
