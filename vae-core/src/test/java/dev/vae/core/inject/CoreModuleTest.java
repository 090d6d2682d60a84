package dev.vae.core.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.util.Modules;
import dev.vae.api.backend.Backend;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.backend.BackendRegistry;
import org.junit.jupiter.api.Test;

/** The core module binds without creating a backend, and applications can replace the default. */
class CoreModuleTest {
  @Test
  void anApplicationOverridesTheDefaultBackend() {
    ReferenceBackend mine = new ReferenceBackend();
    Injector injector = Guice.createInjector(new CoreModule(), new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), Backend.class).setBinding().toInstance(mine);
      }
    });
    Engine engine = injector.getInstance(Engine.class);
    assertThat(engine.backend()).isSameAs(mine);
    assertThat(injector.getInstance(Engine.class)).isSameAs(engine);
  }

  @Test
  void buildingTheInjectorCreatesNoBackend() {
    // vae-core alone has no backend on its classpath: binding must still succeed; only asking for
    // the backend fails, with the registry's explanation.
    Injector injector = Guice.createInjector(Modules.override(new CoreModule()).with(binder -> { }));
    assertThat(injector.getInstance(BackendRegistry.class).describe()).startsWith("backends found");
  }
}
