package dev.vae.core.train;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.core.io.HostTensor;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a training run to and from a {@link Checkpoint}: parameters by name (safetensors, so
 * the weights load in Python) and beside them the likelihood's {@linkplain
 * dev.vae.api.likelihood.Likelihood#estimates() estimates} (one-element float64 tensors by the
 * estimate's name), optimizer slots and step count, the run's configuration (the model's
 * description, the options) and the trainer's, and the trainer's own progress. As a {@link TrainingListener} it saves one
 * checkpoint at the end of every epoch.
 */
public final class TrainingCheckpoints implements TrainingListener {
  private static final String OPTIMIZER_STEPS = "optimizer.steps";
  private static final Shape ESTIMATE_SHAPE = Shape.of(1);

  private final CheckpointStore store;
  private final Trainer trainer;
  private final Map<String, String> runConfig;

  /**
   * Saves the run of {@code trainer} into {@code store} after each epoch, with {@code runConfig}
   * (the model's description, the options, the data's preprocessing) beside the trainer's settings.
   */
  public TrainingCheckpoints(CheckpointStore store, Trainer trainer, Map<String, String> runConfig) {
    this.store = store;
    this.trainer = trainer;
    this.runConfig = Map.copyOf(runConfig);
  }

  @Override
  public void epochFinished(EpochMetrics metrics) {
    try {
      store.save(capture(trainer.model(), trainer.optimizer(), trainer.config(), trainer.state(), runConfig));
    } catch (IOException e) {
      throw new UncheckedIOException("could not save the checkpoint after epoch " + metrics.epoch()
          + " in " + store.root() + "; the previous checkpoint is intact", e);
    }
  }

  /** The run's complete state as a checkpoint. */
  static Checkpoint capture(TrainableModel model, Optimizer optimizer, TrainerConfig config,
      TrainingState state, Map<String, String> runConfig) {
    Checkpoint.Builder b = Checkpoint.builder(state.step()).epoch(state.nextEpoch());
    List<Parameter> saved = new ArrayList<>(model.parameters());
    saved.addAll(model.buffers());
    captureParametersAndOptimizer(b, saved, optimizer, model.engine());
    model.estimates().forEach((name, value) ->
        b.parameter(name, HostTensor.fromDoubles(new double[] {value}, ESTIMATE_SHAPE, DType.FLOAT64)));
    b.config(runConfig).config(config.toMap());
    b.extra("trainer.learning-rate-scale", Double.toString(state.learningRateScale()));
    // The key keeps its first name (the VAE's validation ELBO) so that older checkpoints resume; it
    // holds whatever measure early stopping watches.
    b.extra("trainer.best-validation-elbo", Double.toString(state.bestMeasure()));
    b.extra("trainer.epochs-without-improvement", Integer.toString(state.epochsWithoutImprovement()));
    b.extra("trainer.epochs-collapsed", Integer.toString(state.epochsCollapsed()));
    return b.build();
  }

  /**
   * Puts a checkpoint's parameters, estimates and optimizer state into {@code model} and
   * {@code optimizer}, and returns the trainer's progress to go on from.
   */
  public static TrainingState restore(Checkpoint c, TrainableModel model, Optimizer optimizer) {
    loadParameters(c, model.parameters(), model.engine());
    loadParameters(c, model.buffers(), model.engine());
    model.restoreEstimates(savedEstimates(c, model.estimates().keySet(), model.describe()));
    loadOptimizer(c, optimizer, model.engine());
    return state(c);
  }

  /**
   * Adds what every training run's checkpoint holds to {@code b}: each parameter's value by its name,
   * and the optimizer's slots and step count. {@link #loadParameters(Checkpoint, List, Engine)} and
   * {@link #loadOptimizer} read them back.
   */
  private static Checkpoint.Builder captureParametersAndOptimizer(Checkpoint.Builder b, List<Parameter> parameters,
      Optimizer optimizer, Engine engine) {
    for (Parameter p : parameters) {
      b.parameter(p.name(), HostTensor.fromDoubles(p.toDoubles(), p.shape(), p.array().dtype()));
    }
    optimizer.slots().forEach((key, array) -> b.optimizerSlot(key,
        HostTensor.fromDoubles(engine.backend().toDoubles(array), array.shape(), array.dtype())));
    return b.extra(OPTIMIZER_STEPS, Long.toString(optimizer.steps()));
  }

  /** The model description saved in a checkpoint. */
  public static ModelSpec modelSpec(Checkpoint c) {
    return ModelSpec.fromMap(c.config());
  }

  /** The trainer configuration saved in a checkpoint. */
  public static TrainerConfig trainerConfig(Checkpoint c) {
    return TrainerConfig.fromMap(c.config());
  }

  /** The trainer's progress saved in a checkpoint. */
  public static TrainingState state(Checkpoint c) {
    return TrainingState.restored((int) c.epoch(), c.step(),
        Double.parseDouble(c.extras().getOrDefault("trainer.learning-rate-scale", "1.0")),
        Double.parseDouble(c.extras().getOrDefault("trainer.best-validation-elbo", "-Infinity")),
        Integer.parseInt(c.extras().getOrDefault("trainer.epochs-without-improvement", "0")),
        Integer.parseInt(c.extras().getOrDefault("trainer.epochs-collapsed", "0")));
  }

  /** Loads a checkpoint's parameters and buffers into a model of the same shapes, naming any mismatch. */
  public static void loadParameters(Checkpoint c, Vae vae) {
    loadParameters(c, vae.parameters(), vae.engine());
    loadParameters(c, vae.buffers(), vae.engine());
  }

  /** Loads a checkpoint's values into parameters of the same names and shapes, naming any mismatch. */
  public static void loadParameters(Checkpoint c, List<Parameter> parameters, Engine engine) {
    for (Parameter p : parameters) {
      HostTensor saved = c.parameters().get(p.name());
      if (saved == null) {
        throw new IllegalArgumentException("checkpoint at step " + c.step() + " has no parameter " + p.name()
            + "; it has " + c.parameters().keySet());
      }
      if (!saved.apiShape().equals(p.shape())) {
        throw new IllegalArgumentException("parameter " + p.name() + " is " + saved.apiShape()
            + " in the checkpoint but " + p.shape() + " in the model");
      }
      try (MemoryScope scope = engine.scope()) {
        p.replace(scope.detach(engine.backend().fromHost(saved.toDoubles(), p.shape(), p.array().dtype())));
      }
    }
  }

  /**
   * Fixes the likelihood's estimates at the checkpoint's values, for evaluating or sampling a
   * trained model.
   */
  public static void loadEstimates(Checkpoint c, Vae vae) {
    vae.likelihood().fixEstimates(savedEstimates(c, vae.likelihood().estimates().keySet(),
        "its " + vae.likelihood().name() + " likelihood"));
  }

  private static Map<String, Double> savedEstimates(Checkpoint c, java.util.Set<String> names, String owner) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String name : names) {
      HostTensor saved = c.parameters().get(name);
      if (saved == null || !saved.apiShape().equals(ESTIMATE_SHAPE)) {
        throw new IllegalArgumentException("checkpoint at step " + c.step() + " has no one-element estimate " + name
            + " of " + owner + " (saved by an older version?); it has " + c.parameters().keySet());
      }
      values.put(name, saved.toDoubles()[0]);
    }
    return values;
  }

  /** Loads a checkpoint's optimizer state and step count into an optimizer. */
  public static void loadOptimizer(Checkpoint c, Optimizer optimizer, Engine engine) {
    Map<String, NdArray> slots = new LinkedHashMap<>();
    try (MemoryScope scope = engine.scope()) {
      c.optimizerState().forEach((key, t) -> slots.put(key,
          engine.backend().fromHost(t.toDoubles(), t.apiShape(), t.type().dtype())));
      optimizer.restore(slots, Long.parseLong(c.extras().getOrDefault(OPTIMIZER_STEPS, "0")));
    }
  }
}
