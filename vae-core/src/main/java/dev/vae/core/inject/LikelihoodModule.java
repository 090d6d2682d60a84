package dev.vae.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.core.plugin.LikelihoodRegistry;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Binds every {@link LikelihoodProvider} on the classpath into a set, and the registry that
 * creates likelihoods from it by name. An application adds its own with
 * {@code Multibinder.newSetBinder(binder(), LikelihoodProvider.class).addBinding()...}.
 */
public final class LikelihoodModule extends AbstractModule {
  @Override
  protected void configure() {
    Multibinder<LikelihoodProvider> set = Multibinder.newSetBinder(binder(), LikelihoodProvider.class);
    ServiceLoader.load(LikelihoodProvider.class).forEach(p -> set.addBinding().toInstance(p));
  }

  @Provides
  @Singleton
  LikelihoodRegistry registry(Set<LikelihoodProvider> providers) {
    return new LikelihoodRegistry(providers);
  }
}
