package dev.vae.core.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.vae.api.DType;
import dev.vae.api.backend.Backend;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Activation;
import dev.vae.core.optim.Adam;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.optim.Sgd;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The modules per concern compose into a trainer, and an application can replace the optimizer. */
class ModelAndTrainingModulesTest {
  private final ModelSpec spec = new ModelSpec(3, new int[] {4}, 2, Activation.TANH, "unit-gaussian", Map.of(),
      DType.FLOAT64, 1);

  private Injector injector(AbstractModule... extra) {
    AbstractModule base = new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), Backend.class).setBinding().toInstance(new ReferenceBackend());
        Multibinder.newSetBinder(binder(), LikelihoodProvider.class).addBinding()
            .toInstance(dev.vae.core.train.TestLikelihoods.unitGaussian());
      }
    };
    com.google.inject.Module[] modules = new com.google.inject.Module[4 + extra.length];
    modules[0] = new CoreModule();
    modules[1] = new PluginModule();
    modules[2] = new ModelModule(spec);
    modules[3] = new TrainingModule(TrainerConfig.defaults());
    System.arraycopy(extra, 0, modules, 4, extra.length);
    return Guice.createInjector(com.google.inject.util.Modules.override(modules).with(base));
  }

  @Test
  void theModulesComposeIntoATrainerWithAdamByDefault() {
    Injector injector = injector();
    Trainer trainer = injector.getInstance(Trainer.class);
    assertThat(injector.getInstance(Vae.class).latentDimension()).isEqualTo(2);
    assertThat(injector.getInstance(Optimizer.class)).isInstanceOf(Adam.class);
    assertThat(trainer.optimizer()).as("the trainer's optimizer is the bound one").isSameAs(
        injector.getInstance(Optimizer.class));
    assertThat(((dev.vae.core.train.VaeTraining) trainer.model()).vae()).as("and it trains the bound VAE")
        .isSameAs(injector.getInstance(Vae.class));
  }

  @Test
  void anApplicationReplacesTheOptimizer() {
    Injector injector = injector(new AbstractModule() {
      @Override
      protected void configure() {
        com.google.inject.Provider<Vae> vae = getProvider(Vae.class);
        OptionalBinder.newOptionalBinder(binder(), Optimizer.class).setBinding()
            .toProvider(() -> new Sgd(vae.get().engine(), 0.1, 0.9, false, 0));
      }
    });
    assertThat(injector.getInstance(Optimizer.class)).isInstanceOf(Sgd.class);
  }
}
