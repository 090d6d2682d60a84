package dev.vae.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.vae.core.optim.Adam;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.train.TrainableModel;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.TrainingListener;
import dev.vae.core.train.TrainingState;
import java.util.Set;

/**
 * Binds the trainer configuration and the {@link Trainer} of the bound {@link TrainableModel} (the
 * plain VAE of {@link ModelModule}, or semi-supervised M2), with three
 * things an application may change: the {@link Optimizer} (default Adam at the configured rate;
 * {@code OptionalBinder.newOptionalBinder(binder(), Optimizer.class).setBinding()...}), the
 * {@link TrainingState} it starts from (default fresh; a resumed run binds the restored one), and
 * the {@link TrainingListener}s it reports to ({@code Multibinder.newSetBinder(binder(),
 * TrainingListener.class).addBinding()...}).
 */
public final class TrainingModule extends AbstractModule {
  /**
   * The one optimizer of a training run, whatever scope its binding has: the trainer's, and the
   * one a resumed run restores the checkpoint's optimizer state into.
   */
  public static final Key<Optimizer> RUN_OPTIMIZER = Key.get(Optimizer.class, Names.named("vae.run-optimizer"));

  private final TrainerConfig config;

  public TrainingModule(TrainerConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(TrainerConfig.class).toInstance(config);
    OptionalBinder.newOptionalBinder(binder(), Optimizer.class).setDefault()
        .toProvider(DefaultOptimizer.class).in(Singleton.class);
    OptionalBinder.newOptionalBinder(binder(), TrainingState.class).setDefault().toProvider(TrainingState::fresh);
    Multibinder.newSetBinder(binder(), TrainingListener.class);
  }

  @Provides
  @Singleton
  @Named("vae.run-optimizer")
  Optimizer runOptimizer(Optimizer optimizer) {
    return optimizer;
  }

  @Provides
  @Singleton
  Trainer trainer(TrainableModel model, @Named("vae.run-optimizer") Optimizer optimizer, TrainerConfig config,
      TrainingState state, Set<TrainingListener> listeners) {
    Trainer trainer = new Trainer(model, optimizer, config, state);
    listeners.forEach(trainer::addListener);
    return trainer;
  }

  /** Adam with the configured learning rate. */
  static final class DefaultOptimizer implements com.google.inject.Provider<Optimizer> {
    private final TrainableModel model;
    private final TrainerConfig config;

    @com.google.inject.Inject
    DefaultOptimizer(TrainableModel model, TrainerConfig config) {
      this.model = model;
      this.config = config;
    }

    @Override
    public Optimizer get() {
      return Adam.adam(model.engine(), config.learningRate());
    }
  }
}
