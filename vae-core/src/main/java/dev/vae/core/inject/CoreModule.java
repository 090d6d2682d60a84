package dev.vae.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.backend.BackendRegistry;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Binds the engine: every {@link BackendProvider} that {@link ServiceLoader} finds joins a set
 * binding, and {@link Backend} has an overridable default, the registry's choice. Applications
 * replace the backend with {@code OptionalBinder.newOptionalBinder(binder(), Backend.class)
 * .setBinding()...}. Binding loads no native code: the backend is created on first injection.
 */
public final class CoreModule extends AbstractModule {
  @Override
  protected void configure() {
    Multibinder<BackendProvider> providers = Multibinder.newSetBinder(binder(), BackendProvider.class);
    ServiceLoader.load(BackendProvider.class).forEach(p -> providers.addBinding().toInstance(p));
    OptionalBinder.newOptionalBinder(binder(), Backend.class).setDefault().toProvider(DefaultBackend.class)
        .in(Singleton.class);
  }

  @Provides
  @Singleton
  BackendRegistry registry(Set<BackendProvider> providers) {
    return new BackendRegistry(providers);
  }

  @Provides
  @Singleton
  Engine engine(Backend backend) {
    return new Engine(backend);
  }

  /** The registry's choice, honouring the vae.backend property and VAE_BACKEND variable. */
  static final class DefaultBackend implements com.google.inject.Provider<Backend> {
    private final BackendRegistry registry;

    @com.google.inject.Inject
    DefaultBackend(BackendRegistry registry) {
      this.registry = registry;
    }

    @Override
    public Backend get() {
      return registry.create();
    }
  }
}
