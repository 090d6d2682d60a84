package dev.vae.variants.semisupervised;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.vae.api.DType;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.optim.Adam;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.plugin.LikelihoodRegistry;

/**
 * Binds a semi-supervised variant, its {@link SemiSupervisedModel} (on the bound engine, with
 * likelihoods from the bound registry), the trainer's configuration, and the
 * {@link SemiSupervisedTrainer}. Two defaults are overridable with {@link OptionalBinder}: the
 * {@link Inputs} (the data itself; M1+M2 sets {@link M1Codes}) and the {@link Optimizer} (Adam at
 * the given learning rate). Install with vae-core's {@code CoreModule} and {@code PluginModule};
 * it replaces {@code ModelModule} and {@code TrainingModule}, whose optimizer binding it shares.
 */
public final class SemiSupervisedModule extends AbstractModule {
  private final SemiSupervised variant;
  private final int inputDimension;
  private final int classes;
  private final SemiSupervisedTrainer.Config config;
  private final double learningRate;
  private final DType dtype;

  /**
   * @param inputDimension the dimension of M2's inputs: the data's, or M1's latent dimension
   * @param config epochs, α and the seed, which also initialises the model
   */
  public SemiSupervisedModule(SemiSupervised variant, int inputDimension, int classes,
      SemiSupervisedTrainer.Config config, double learningRate, DType dtype) {
    this.variant = variant;
    this.inputDimension = inputDimension;
    this.classes = classes;
    this.config = config;
    this.learningRate = learningRate;
    this.dtype = dtype;
  }

  @Override
  protected void configure() {
    bind(SemiSupervised.class).toInstance(variant);
    bind(SemiSupervisedTrainer.Config.class).toInstance(config);
    OptionalBinder.newOptionalBinder(binder(), Inputs.class).setDefault().toInstance(Inputs.data(inputDimension));
    com.google.inject.Provider<Engine> engine = getProvider(Engine.class);
    double rate = learningRate;
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
  SemiSupervisedTrainer trainer(SemiSupervisedModel model, Inputs inputs, Optimizer optimizer) {
    return new SemiSupervisedTrainer(model, inputs, optimizer, config);
  }
}
