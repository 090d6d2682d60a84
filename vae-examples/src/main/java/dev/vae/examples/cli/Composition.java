package dev.vae.examples.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.util.Modules;
import dev.vae.api.backend.Backend;
import dev.vae.core.backend.BackendRegistry;
import dev.vae.core.inject.CoreModule;
import dev.vae.core.inject.PluginModule;
import dev.vae.core.inject.TrainingModule;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.train.TrainableModel;
import dev.vae.core.train.TrainingCheckpoints;
import dev.vae.core.train.TrainingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Where the training commands (train, semi-supervised) build their objects: Guice, from vae-core's
 * modules and the command's own, overridden by every module a user's jar registers for {@code
 * com.google.inject.Module} with {@code ServiceLoader} (found through the thread's context class
 * loader, so a jar on {@code VAE_CLASSPATH} is enough). A user's module may so replace any binding: the backend, a
 * likelihood or variant provider, the optimizer, the listeners of training.
 */
final class Composition {
  private Composition() {}

  /**
   * A module that binds the {@link TrainingState} a resumed run starts from: {@code previous}'s,
   * with its parameters and optimizer state put into the bound model and the run's optimizer
   * ({@link TrainingModule#RUN_OPTIMIZER}); for a new run it binds nothing (a fresh state).
   */
  static Module resumingFrom(Optional<Checkpoint> previous) {
    return previous.<Module>map(Restored::new).orElse(binder -> { });
  }

  /** Binds the state restored from a checkpoint, restored once. */
  private static final class Restored extends AbstractModule {
    private final Checkpoint checkpoint;

    Restored(Checkpoint checkpoint) {
      this.checkpoint = checkpoint;
    }

    @Override
    protected void configure() {
      com.google.inject.Provider<TrainableModel> model = getProvider(TrainableModel.class);
      com.google.inject.Provider<Optimizer> optimizer = getProvider(TrainingModule.RUN_OPTIMIZER);
      OptionalBinder.newOptionalBinder(binder(), TrainingState.class).setBinding().toProvider(() ->
          TrainingCheckpoints.restore(checkpoint, model.get(), optimizer.get())).in(Singleton.class);
    }
  }

  /** An injector of vae-core's modules, {@code own}, the backend named by {@code backend} (if any), and the user's modules over them. */
  static Injector injector(String backend, Module... own) {
    List<Module> ours = new ArrayList<>(List.of(new CoreModule(), new PluginModule()));
    ours.addAll(List.of(own));
    if (backend != null) {
      ours.add(new AbstractModule() {
        @Override
        protected void configure() {
          com.google.inject.Provider<BackendRegistry> registry = getProvider(BackendRegistry.class);
          OptionalBinder.newOptionalBinder(binder(), Backend.class).setBinding()
              .toProvider(() -> registry.get().create(Optional.of(backend)));
        }
      });
    }
    List<Module> users = new ArrayList<>();
    ServiceLoader.load(Module.class, Thread.currentThread().getContextClassLoader()).forEach(users::add);
    return Guice.createInjector(Modules.override(ours).with(users));
  }
}
