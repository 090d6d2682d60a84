package dev.vae.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.vae.core.model.Vae;
import dev.vae.core.optim.Adam;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;

/**
 * Binds the trainer configuration, Adam at its learning rate as the default {@link Optimizer}
 * (override with {@code OptionalBinder.newOptionalBinder(binder(), Optimizer.class).setBinding()}),
 * and the {@link Trainer}.
 */
public final class TrainingModule extends AbstractModule {
  private final TrainerConfig config;

  public TrainingModule(TrainerConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(TrainerConfig.class).toInstance(config);
    com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), Optimizer.class).setDefault()
        .toProvider(DefaultOptimizer.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  Trainer trainer(Vae vae, Optimizer optimizer, TrainerConfig config) {
    return new Trainer(vae, optimizer, config);
  }

  /** Adam with the configured learning rate. */
  static final class DefaultOptimizer implements com.google.inject.Provider<Optimizer> {
    private final Vae vae;
    private final TrainerConfig config;

    @com.google.inject.Inject
    DefaultOptimizer(Vae vae, TrainerConfig config) {
      this.vae = vae;
      this.config = config;
    }

    @Override
    public Optimizer get() {
      return Adam.adam(vae.engine(), config.learningRate());
    }
  }
}
