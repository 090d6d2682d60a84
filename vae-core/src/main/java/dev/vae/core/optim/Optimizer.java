package dev.vae.core.optim;

import dev.vae.api.Tensor;
import dev.vae.core.nn.Parameter;
import dev.vae.api.backend.NdArray;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients. Called inside the step's memory scope (the gradients
 * live there); new values and optimizer state are taken out of the scope, so memory stays flat.
 */
public interface Optimizer extends AutoCloseable {
  /** One update; {@code grads.get(i)} is the gradient of {@code params.get(i)}. */
  void step(List<Parameter> params, List<Tensor> grads);

  double learningRate();

  /** Sets the learning rate used from the next step on (schedules call this). */
  void setLearningRate(double learningRate);

  /** Updates taken so far. */
  long steps();

  /** The state arrays by "parameter/slot" key, for checkpoints (still owned by the optimizer). */
  Map<String, NdArray> slots();

  /**
   * Restores state saved from {@link #slots()} and {@link #steps()}: the arrays are copied, so the
   * caller keeps ownership of what it passes.
   */
  void restore(Map<String, NdArray> slots, long steps);

  /** Frees the optimizer's state arrays. */
  @Override
  void close();

  /** Checks that the two lists pair up, naming the parameter whose gradient has the wrong shape. */
  static void checkPairs(List<Parameter> params, List<Tensor> grads) {
    if (params.size() != grads.size()) {
      throw new IllegalArgumentException(params.size() + " parameters but " + grads.size() + " gradients");
    }
    for (int i = 0; i < params.size(); i++) {
      if (!params.get(i).shape().equals(grads.get(i).shape())) {
        throw new IllegalArgumentException("gradient of " + params.get(i).name() + " has shape "
            + grads.get(i).shape() + ", expected " + params.get(i).shape());
      }
    }
  }
}
