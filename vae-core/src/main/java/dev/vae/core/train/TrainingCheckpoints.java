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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a training run to and from a {@link Checkpoint}: parameters by name (safetensors, so
 * the weights load in Python) and beside them the likelihood's {@linkplain
 * dev.vae.api.likelihood.Likelihood#estimates() estimates} (one-element float64 tensors by the
 * estimate's name), optimizer slots and step count, the model's and the trainer's
 * configuration, and the trainer's own progress. As a {@link TrainingListener} it saves one
 * checkpoint at the end of every epoch.
 */
public final class TrainingCheckpoints implements TrainingListener {
  private static final String OPTIMIZER_STEPS = "optimizer.steps";
  private static final Shape ESTIMATE_SHAPE = Shape.of(1);

  private final CheckpointStore store;
  private final Vae vae;
  private final ModelSpec spec;
  private final Optimizer optimizer;
  private final TrainerConfig config;
  private final Trainer trainer;
  private final Map<String, String> runConfig;

  /**
   * Saves the run of {@code trainer} into {@code store} after each epoch, with {@code runConfig}
   * (e.g. the data set and its preprocessing) stored beside the model's and trainer's settings.
   */
  public TrainingCheckpoints(CheckpointStore store, Trainer trainer, Vae vae, ModelSpec spec, Optimizer optimizer,
      TrainerConfig config, Map<String, String> runConfig) {
    this.runConfig = Map.copyOf(runConfig);
    this.store = store;
    this.trainer = trainer;
    this.vae = vae;
    this.spec = spec;
    this.optimizer = optimizer;
    this.config = config;
  }

  @Override
  public void epochFinished(EpochMetrics metrics) {
    try {
      store.save(capture(vae, spec, optimizer, config, trainer.state(), runConfig));
    } catch (IOException e) {
      throw new UncheckedIOException("could not save the checkpoint after epoch " + (metrics.epoch() + 1)
          + " in " + store.root() + "; the previous checkpoint is intact", e);
    }
  }

  /** The run's complete state as a checkpoint. */
  public static Checkpoint capture(Vae vae, ModelSpec spec, Optimizer optimizer, TrainerConfig config,
      TrainingState state, Map<String, String> runConfig) {
    Checkpoint.Builder b = Checkpoint.builder(state.step()).epoch(state.nextEpoch());
    captureParametersAndOptimizer(b, vae.parameters(), optimizer, vae.engine());
    vae.likelihood().estimates().forEach((name, value) ->
        b.parameter(name, HostTensor.fromDoubles(new double[] {value}, ESTIMATE_SHAPE, DType.FLOAT64)));
    b.config(runConfig).config(spec.toMap()).config(config.toMap());
    b.extra("trainer.learning-rate-scale", Double.toString(state.learningRateScale()));
    b.extra("trainer.best-validation-elbo", Double.toString(state.bestValidationElbo()));
    b.extra("trainer.epochs-without-improvement", Integer.toString(state.epochsWithoutImprovement()));
    b.extra("trainer.epochs-collapsed", Integer.toString(state.epochsCollapsed()));
    return b.build();
  }

  /**
   * Adds what every training run's checkpoint holds to {@code b}: each parameter's value by its name,
   * and the optimizer's slots and step count. {@link #loadParameters(Checkpoint, List, Engine)} and
   * {@link #loadOptimizer} read them back.
   */
  public static Checkpoint.Builder captureParametersAndOptimizer(Checkpoint.Builder b, List<Parameter> parameters,
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

  /** Loads a checkpoint's parameters into a model of the same shapes, naming any mismatch. */
  public static void loadParameters(Checkpoint c, Vae vae) {
    loadParameters(c, vae.parameters(), vae.engine());
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
    vae.likelihood().fixEstimates(savedEstimates(c, vae));
  }

  /**
   * Starts the likelihood's estimates from the checkpoint's values for a resumed run, which goes on
   * estimating them from its batches (and has them even when no epoch is left to train).
   */
  public static void restoreEstimates(Checkpoint c, Vae vae) {
    vae.likelihood().restoreEstimates(savedEstimates(c, vae));
  }

  private static Map<String, Double> savedEstimates(Checkpoint c, Vae vae) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String name : vae.likelihood().estimates().keySet()) {
      HostTensor saved = c.parameters().get(name);
      if (saved == null || !saved.apiShape().equals(ESTIMATE_SHAPE)) {
        throw new IllegalArgumentException("checkpoint at step " + c.step() + " has no one-element estimate " + name
            + " of its " + vae.likelihood().name() + " likelihood (saved by an older version?); it has "
            + c.parameters().keySet());
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
