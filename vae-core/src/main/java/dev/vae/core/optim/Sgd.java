package dev.vae.core.optim;

import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Parameter;
import java.util.List;

/** Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay. */
public final class Sgd extends AbstractOptimizer {
  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;

  public Sgd(Engine engine, double learningRate, double momentum, boolean nesterov, double weightDecay) {
    super(engine, learningRate);
    if (learningRate <= 0 || momentum < 0 || momentum >= 1 || weightDecay < 0) {
      throw new IllegalArgumentException("SGD needs learningRate > 0, 0 <= momentum < 1, weightDecay >= 0; got "
          + learningRate + ", " + momentum + ", " + weightDecay);
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
  }

  @Override
  public void step(List<Parameter> params, List<Tensor> grads) {
    Optimizer.checkPairs(params, grads);
    steps++;
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      Tensor value = p.tensor().detach();
      Tensor g = weightDecay > 0 ? grads.get(i).add(value.mul(weightDecay)) : grads.get(i);
      Tensor direction = g;
      if (momentum > 0) {
        Tensor velocity = state.get(p, "velocity").mul(momentum).add(g);
        state.put(p, "velocity", velocity);
        direction = nesterov ? g.add(velocity.mul(momentum)) : velocity;
      }
      p.replace(engine.detachArray(value.sub(direction.mul(learningRate()))));
    }
  }
}
