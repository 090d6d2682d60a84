package dev.vae.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.variant.VariantProvider;
import dev.vae.core.nn.NetworkProvider;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.plugin.NetworkRegistry;
import dev.vae.core.plugin.PosteriorRegistry;
import dev.vae.core.plugin.PriorRegistry;
import dev.vae.core.plugin.VariantRegistry;
import dev.vae.core.posterior.PosteriorProvider;
import dev.vae.core.prior.PriorProvider;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Binds every {@link LikelihoodProvider}, {@link VariantProvider}, {@link NetworkProvider},
 * {@link PriorProvider} and {@link PosteriorProvider} on the classpath into sets, and the registries
 * that create them by name. An application adds its own with
 * {@code Multibinder.newSetBinder(binder(), LikelihoodProvider.class).addBinding()...} (likewise
 * for variants, networks, priors and posteriors).
 */
public final class PluginModule extends AbstractModule {
  @Override
  protected void configure() {
    bindAll(LikelihoodProvider.class);
    bindAll(VariantProvider.class);
    bindAll(NetworkProvider.class);
    bindAll(PriorProvider.class);
    bindAll(PosteriorProvider.class);
  }

  private <P> void bindAll(Class<P> service) {
    Multibinder<P> set = Multibinder.newSetBinder(binder(), service);
    ServiceLoader.load(service).forEach(p -> set.addBinding().toInstance(p));
  }

  @Provides
  @Singleton
  LikelihoodRegistry likelihoods(Set<LikelihoodProvider> providers) {
    return new LikelihoodRegistry(providers);
  }

  @Provides
  @Singleton
  NetworkRegistry networks(Set<NetworkProvider> providers) {
    return new NetworkRegistry(providers);
  }

  @Provides
  @Singleton
  PriorRegistry priors(Set<PriorProvider> providers) {
    return new PriorRegistry(providers);
  }

  @Provides
  @Singleton
  PosteriorRegistry posteriors(Set<PosteriorProvider> providers) {
    return new PosteriorRegistry(providers);
  }

  @Provides
  @Singleton
  VariantRegistry variants(Set<VariantProvider> providers) {
    return new VariantRegistry(providers);
  }
}
