package dev.vae.core.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.Multibinder;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.Probe;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.backend.BackendRegistry;
import java.util.concurrent.atomic.AtomicInteger;
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
  void buildingTheInjectorCreatesNoBackendUntilOneIsAskedFor() {
    AtomicInteger created = new AtomicInteger();
    BackendProvider counting = new BackendProvider() {
      @Override
      public String name() {
        return "counting";
      }

      @Override
      public int priority() {
        return 1;
      }

      @Override
      public Probe probe() {
        return Probe.available("always");
      }

      @Override
      public Backend create() {
        created.incrementAndGet();
        return new ReferenceBackend();
      }
    };
    Injector injector = Guice.createInjector(new CoreModule(), new AbstractModule() {
      @Override
      protected void configure() {
        Multibinder.newSetBinder(binder(), BackendProvider.class).addBinding().toInstance(counting);
      }
    });
    assertThat(injector.getInstance(BackendRegistry.class).describe()).startsWith("backends found")
        .contains("counting");
    assertThat(created).as("backends created by binding and by the registry").hasValue(0);
    injector.getInstance(Engine.class);
    injector.getInstance(Engine.class);
    assertThat(created).as("backends created for the engine, a singleton").hasValue(1);
  }
}
