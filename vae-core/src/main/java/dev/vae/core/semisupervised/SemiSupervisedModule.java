package dev.vae.core.semisupervised;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.vae.api.DType;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.optim.Adam;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.TrainingState;

/**
 * Binds a semi-supervised variant, its {@link SemiSupervisedModel} (on the bound engine, with
 * likelihoods from the bound registry), the trainer's configuration, the model as the trainer
 * sees it ({@link SemiSupervisedTraining}) and the {@link Trainer}. Two defaults are overridable
 * with {@link OptionalBinder}: the {@link Inputs} (the data itself; M1+M2 sets {@link M1Codes})
 * and the {@link Optimizer} (Adam at the configured learning rate). Install with vae-core's
 * {@code CoreModule} and {@code PluginModule}; it replaces {@code ModelModule} and
 * {@code TrainingModule}.
 */
public final class SemiSupervisedModule extends AbstractModule {
  private final SemiSupervised variant;
  private final int inputDimension;
  private final int classes;
  private final TrainerConfig config;
  private final double labelledWeight;
  private final DType dtype;

  /**
   * @param inputDimension the dimension of M2's inputs: the data's, or M1's latent dimension
   * @param config epochs, batch size, learning rate and the seed, which also initialises the model
   * @param labelledWeight the weight of the labelled bound (see {@link SemiSupervisedConfig#labelledWeight})
   */
  public SemiSupervisedModule(SemiSupervised variant, int inputDimension, int classes, TrainerConfig config,
      double labelledWeight, DType dtype) {
    this.variant = variant;
    this.inputDimension = inputDimension;
    this.classes = classes;
    this.config = config;
    this.labelledWeight = labelledWeight;
    this.dtype = dtype;
  }

  @Override
  protected void configure() {
    bind(SemiSupervised.class).toInstance(variant);
    bind(TrainerConfig.class).toInstance(config);
    OptionalBinder.newOptionalBinder(binder(), Inputs.class).setDefault().toInstance(Inputs.data(inputDimension));
    com.google.inject.Provider<Engine> engine = getProvider(Engine.class);
    double rate = config.learningRate();
    OptionalBinder.newOptionalBinder(binder(), Optimizer.class).setDefault()
        .toProvider(() -> Adam.adam(engine.get(), rate)).in(Singleton.class);
  }

  @Provides
  @Singleton
  SemiSupervisedModel model(Engine engine, LikelihoodRegistry likelihoods) {
    return variant.model(engine, likelihoods, inputDimension, classes, dtype, config.seed());
  }

  @Provides
  @Singleton
  SemiSupervisedTraining training(SemiSupervisedModel model, Inputs inputs) {
    return new SemiSupervisedTraining(model, inputs, variant.config().alpha(), labelledWeight);
  }

  @Provides
  @Singleton
  Trainer trainer(SemiSupervisedTraining training, Optimizer optimizer) {
    return new Trainer(training, optimizer, config, TrainingState.fresh());
  }
}
