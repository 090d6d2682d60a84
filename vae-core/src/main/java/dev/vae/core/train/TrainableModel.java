package dev.vae.core.train;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.variant.TrainingClock;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the {@link Trainer} trains: a model with parameters and an objective for one batch. The
 * plain VAE with any variant ({@link VaeTraining}) and semi-supervised M2 / M1+M2 offer it; the
 * trainer does the rest (epochs, schedule, clipping, non-finite values, early stopping,
 * checkpoints, metrics) the same way for each.
 */
public interface TrainableModel {
  /** The engine the model computes on. */
  Engine engine();

  /** The dtype the model computes in; the batches are cast to it. */
  DType dtype();

  /** The values per example the model reads. */
  int dataDimension();

  /** Every trainable parameter, in a stable order: what the optimizer updates and checkpoints save. */
  List<Parameter> parameters();

  /** State saved with the parameters but not trained (running statistics); none by default. */
  default List<Parameter> buffers() {
    return List.of();
  }

  /**
   * The objective of one training step on {@code batch}, inside the trainer's memory scope with
   * gradients recorded: the loss to minimise and every term to report, each a batch mean.
   */
  StepObjective objective(TrainingBatch batch, Rng noise, TrainingClock clock);

  /** Called once the optimizer took the step of the last {@link #objective}; a skipped step is not reported. */
  default void stepTaken() {}

  /**
   * Terms the model derives from an epoch's averages of the ones it reports (the VAE's ELBO is its
   * reconstruction less its KL), so that no step has to compute them; none by default.
   */
  default Map<String, double[]> derivedTerms(Map<String, double[]> means) {
    return Map.of();
  }

  /** Settings the user should hear about before a run of {@code totalSteps} steps (none by default). */
  default List<String> warnings(long totalSteps) {
    return List.of();
  }

  /**
   * Where a non-finite value that stopped a step on {@code batch} first appears (a parameter, a
   * layer's output), or empty. By default, the first parameter holding one.
   */
  default String locateNonFinite(TrainingBatch batch, Rng rng) {
    return parameters().stream().filter(p -> Arrays.stream(p.toDoubles()).anyMatch(v -> !Double.isFinite(v)))
        .map(p -> "parameter " + p.name()).findFirst().orElse("");
  }

  /**
   * Quantities the model estimates from its batches as it trains (a calibrated sigma), by name;
   * saved in checkpoints.
   */
  default Map<String, Double> estimates() {
    return Map.of();
  }

  /** Goes on estimating from the values a checkpoint saved (see {@link #estimates}). */
  default void restoreEstimates(Map<String, Double> saved) {}

  /** One line for logs: the model's shape and size. */
  String describe();
}
