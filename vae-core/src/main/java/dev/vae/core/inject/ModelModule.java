package dev.vae.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.plugin.VariantRegistry;

/** Binds the {@link ModelSpec} it is given and the {@link Vae} built from it on the bound engine. */
public final class ModelModule extends AbstractModule {
  private final ModelSpec spec;

  public ModelModule(ModelSpec spec) {
    this.spec = spec;
  }

  @Override
  protected void configure() {
    bind(ModelSpec.class).toInstance(spec);
  }

  @Provides
  @Singleton
  Vae vae(ModelSpec spec, Engine engine, LikelihoodRegistry likelihoods, VariantRegistry variants) {
    return spec.build(engine, likelihoods, variants);
  }
}
