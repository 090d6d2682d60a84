package dev.vae.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.plugin.NetworkRegistry;
import dev.vae.core.plugin.PosteriorRegistry;
import dev.vae.core.plugin.PriorRegistry;
import dev.vae.core.plugin.VariantRegistry;
import dev.vae.core.train.TrainableModel;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.VaeTraining;

/**
 * Binds the {@link ModelSpec} it is given, the {@link Vae} built from it on the bound engine, and
 * the VAE as {@link TrainingModule}'s trainer trains it ({@link VaeTraining}, on the configured
 * samples of z per example).
 */
public final class ModelModule extends AbstractModule {
  private final ModelSpec spec;

  public ModelModule(ModelSpec spec) {
    this.spec = spec;
  }

  @Override
  protected void configure() {
    bind(ModelSpec.class).toInstance(spec);
  }

  /**
   * The VAE as the trainer trains it, on the samples of z per example of the {@link TrainerConfig}
   * that {@link TrainingModule} binds; looked up when a trainer is made, so that this module alone
   * still gives a {@link Vae} without any training configuration.
   */
  @Provides
  @Singleton
  TrainableModel trainable(Vae vae, Injector injector) {
    return new VaeTraining(vae, injector.getInstance(TrainerConfig.class).samples());
  }

  @Provides
  @Singleton
  Vae vae(ModelSpec spec, Engine engine, LikelihoodRegistry likelihoods, VariantRegistry variants,
      NetworkRegistry networks, PriorRegistry priors, PosteriorRegistry posteriors) {
    return spec.build(engine, likelihoods, variants, networks, priors, posteriors);
  }
}
