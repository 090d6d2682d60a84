package dev.vae.variants.semisupervised;

import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.train.TrainingCheckpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Saves a semi-supervised run into a {@link CheckpointStore} at the end of every epoch (each
 * parameter as safetensors, the optimizer's slots and steps, the run's configuration, the epochs
 * and steps done; written atomically, so a crash keeps the last good one) and resumes a run from
 * such a checkpoint.
 */
public final class SemiSupervisedCheckpoints implements Consumer<SemiSupervisedEpoch> {
  private final CheckpointStore store;
  private final SemiSupervisedTrainer trainer;
  private final SemiSupervisedModel model;
  private final Optimizer optimizer;
  private final Map<String, String> runConfig;

  /** Saves the run of {@code trainer} into {@code store}, with {@code runConfig} beside the weights. */
  public SemiSupervisedCheckpoints(CheckpointStore store, SemiSupervisedTrainer trainer, SemiSupervisedModel model,
      Optimizer optimizer, Map<String, String> runConfig) {
    this.store = store;
    this.trainer = trainer;
    this.model = model;
    this.optimizer = optimizer;
    this.runConfig = Map.copyOf(runConfig);
  }

  @Override
  public void accept(SemiSupervisedEpoch finished) {
    Checkpoint.Builder b = Checkpoint.builder(trainer.steps()).epoch(trainer.epochsDone()).config(runConfig);
    TrainingCheckpoints.captureParametersAndOptimizer(b, model.parameters(), optimizer, model.engine());
    try {
      store.save(b.build());
    } catch (IOException e) {
      throw new UncheckedIOException("could not save the checkpoint after epoch " + (finished.epoch() + 1) + " in "
          + store.root() + "; the previous checkpoint is intact", e);
    }
  }

  /**
   * Loads a checkpoint's parameters and optimizer state into {@code model} and {@code optimizer}, and
   * sets {@code trainer} to go on after the checkpoint's epoch.
   */
  public static void resume(Checkpoint c, SemiSupervisedTrainer trainer, SemiSupervisedModel model,
      Optimizer optimizer) {
    TrainingCheckpoints.loadParameters(c, model.parameters(), model.engine());
    TrainingCheckpoints.loadOptimizer(c, optimizer, model.engine());
    trainer.resumeAfter(Math.toIntExact(c.epoch()), c.step());
  }
}
