package dev.vae.core.optim;

import dev.vae.api.backend.NdArray;
import dev.vae.core.autodiff.Engine;
import java.util.Map;

/**
 * What every optimizer keeps besides its update rule: the engine, the learning rate, the step
 * count and the per-parameter slots, with their checkpoint export, restore and release.
 */
abstract class AbstractOptimizer implements Optimizer {
  final Engine engine;
  final SlotState state;
  long steps;
  private double learningRate;

  AbstractOptimizer(Engine engine, double learningRate) {
    this.engine = engine;
    this.learningRate = learningRate;
    this.state = new SlotState(engine);
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public void setLearningRate(double learningRate) {
    this.learningRate = learningRate;
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public Map<String, NdArray> slots() {
    return state.all();
  }

  @Override
  public void restore(Map<String, NdArray> slots, long steps) {
    state.restore(slots);
    this.steps = steps;
  }

  @Override
  public void close() {
    state.close();
  }
}
