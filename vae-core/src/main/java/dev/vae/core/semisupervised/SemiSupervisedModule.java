package dev.vae.core.semisupervised;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.vae.api.DType;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.train.TrainableModel;

/**
 * Binds a semi-supervised variant, its {@link SemiSupervisedModel} (on the bound engine, with
 * likelihoods from the bound registry) and the model as the trainer trains it
 * ({@link SemiSupervisedTraining}, bound as the {@link TrainableModel}). The {@link Inputs} have an
 * overridable default, the data itself ({@link OptionalBinder}; M1+M2 sets {@link M1Codes}). Install
 * with vae-core's {@code CoreModule}, {@code PluginModule} and {@code TrainingModule} (the trainer,
 * its optimizer and listeners); it replaces {@code ModelModule}.
 */
public final class SemiSupervisedModule extends AbstractModule {
  private final SemiSupervised variant;
  private final int inputDimension;
  private final int classes;
  private final double labelledWeight;
  private final DType dtype;
  private final long seed;

  /**
   * @param inputDimension the dimension of M2's inputs: the data's, or M1's latent dimension
   * @param labelledWeight the weight of the labelled bound (see {@link SemiSupervisedConfig#labelledWeight})
   * @param seed the seed the model's weights are drawn from
   */
  public SemiSupervisedModule(SemiSupervised variant, int inputDimension, int classes, double labelledWeight,
      DType dtype, long seed) {
    this.variant = variant;
    this.inputDimension = inputDimension;
    this.classes = classes;
    this.labelledWeight = labelledWeight;
    this.dtype = dtype;
    this.seed = seed;
  }

  @Override
  protected void configure() {
    bind(SemiSupervised.class).toInstance(variant);
    OptionalBinder.newOptionalBinder(binder(), Inputs.class).setDefault().toInstance(Inputs.data(inputDimension));
  }

  @Provides
  @Singleton
  SemiSupervisedModel model(Engine engine, LikelihoodRegistry likelihoods) {
    return variant.model(engine, likelihoods, inputDimension, classes, dtype, seed);
  }

  @Provides
  @Singleton
  SemiSupervisedTraining training(SemiSupervisedModel model, Inputs inputs) {
    return new SemiSupervisedTraining(model, inputs, variant.config().alpha(), labelledWeight);
  }

  @Provides
  @Singleton
  TrainableModel trainable(SemiSupervisedTraining training) {
    return training;
  }
}
