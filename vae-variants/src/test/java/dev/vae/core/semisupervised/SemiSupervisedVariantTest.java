package dev.vae.core.semisupervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.backend.Backend;
import dev.vae.api.variant.StructuralVariant;
import dev.vae.api.variant.TrainingClock;
import dev.vae.core.inject.CoreModule;
import dev.vae.core.inject.PluginModule;
import dev.vae.core.inject.TrainingModule;
import dev.vae.core.optim.Adam;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.plugin.VariantRegistry;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.api.testkit.ReferenceBackend;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The variants are found by name, read their options, build their model, and compose through Guice. */
class SemiSupervisedVariantTest {
  private final VariantRegistry registry = VariantRegistry.discover();

  @Test
  void bothVariantsAreFoundByNameAndAreStructural() {
    SemiSupervised m2 = (SemiSupervised) registry.create("m2", Options.none());
    SemiSupervised stacked = (SemiSupervised) registry.create("m1+m2", Options.none());
    assertThat(m2).isInstanceOf(StructuralVariant.class);
    assertThat(m2.stacked()).isFalse();
    assertThat(m2.config().likelihood()).isEqualTo("bernoulli");
    assertThat(stacked.stacked()).isTrue();
    assertThat(stacked.config().likelihood()).isEqualTo("gaussian");
    assertThat(stacked.config().likelihoodOptions()).isEqualTo(Map.of("sigma", "learned"));
    assertThatThrownBy(() -> m2.objective(null, TrainingClock.evaluation()))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("m2 changes the model's structure");
  }

  @Test
  void optionsConfigureTheModelAndLikelihoodOptionsArePassedOn() {
    SemiSupervised variant = (SemiSupervised) registry.create("m1+m2", Options.parse(
        "alpha=0.1,labelled-weight=0.002,beta=3,hidden=7,classifier-hidden=5,latent=3,activation=tanh,codes=mean,"
            + "likelihood.sigma=0.5"));
    assertThat(variant.config().alpha()).isEqualTo(0.1);
    assertThat(variant.config().labelledWeight()).hasValue(0.002);
    assertThat(variant.config().beta()).isEqualTo(3.0);
    assertThat(variant.config().labelledWeight(100, 49_900)).as("a number is used as given").isEqualTo(0.002);
    assertThat(variant.config().sampleCodes()).isFalse();
    assertThat(variant.config().likelihoodOptions()).isEqualTo(Map.of("sigma", "0.5"));
    try (SemiSupervisedModel model = variant.model(new dev.vae.core.autodiff.Engine(new ReferenceBackend()),
        dev.vae.core.plugin.LikelihoodRegistry.discover(), 4, 10, DType.FLOAT64, 1)) {
      assertThat(model.latentDimension()).isEqualTo(3);
      assertThat(model.classes()).isEqualTo(10);
      assertThat(model.parameters().get(0).shape().dims()).containsExactly(4, 5);
      assertThat(model.likelihood().name()).isEqualTo("gaussian");
      assertThat(model.describe()).as("beta reaches the model").contains("z's KL weighted by 3.0");
    }
  }

  @Test
  void theLabelledBoundIsWeighedByTheShareOfLabelledExamplesUnlessANumberIsGiven() {
    for (String name : new String[] {"m2", "m1+m2"}) {
      SemiSupervisedConfig byDefault = ((SemiSupervised) registry.create(name, Options.none())).config();
      SemiSupervisedConfig balanced = ((SemiSupervised) registry.create(name,
          Options.parse("labelled-weight=balanced"))).config();
      assertThat(byDefault.labelledWeight()).as(name).isEmpty();
      assertThat(balanced.labelledWeight()).as(name).isEmpty();
      assertThat(byDefault.labelledWeight(100, 49_900)).as(name).isEqualTo(100.0 / 49_900);
      assertThat(balanced.labelledWeight(30, 60)).as(name).isEqualTo(0.5);
      assertThat(byDefault.beta()).as(name + ": the paper's bound by default").isEqualTo(1.0);
    }
    SemiSupervisedConfig one = ((SemiSupervised) registry.create("m2", Options.parse("labelled-weight=1,alpha=0.5")))
        .config();
    assertThat(one.labelledWeight(100, 49_900)).isEqualTo(1.0);
    assertThat(one.alpha()).isEqualTo(0.5);
    SemiSupervisedConfig balanced = ((SemiSupervised) registry.create("m2", Options.none())).config();
    assertThatThrownBy(() -> balanced.labelledWeight(100, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("balanced needs labelled and unlabelled examples, got 100 and 0");
  }

  @Test
  void unknownNamesOptionsAndValuesAreRejectedSayingWhatIsExpected() {
    assertThatThrownBy(() -> registry.create("m3", Options.none())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no variant named 'm3'").hasMessageContaining("m1+m2, m2");
    assertThatThrownBy(() -> registry.create("m2", Options.parse("aplha=1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no option 'aplha'")
        .hasMessageContaining("alpha");
    assertThatThrownBy(() -> registry.create("m2", Options.parse("codes=mean")))
        .as("codes only mean something for m1+m2").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no option 'codes'");
    assertThatThrownBy(() -> registry.create("m1+m2", Options.parse("codes=mode")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected sample");
    assertThatThrownBy(() -> registry.create("m2", Options.parse("alpha=-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be finite and >= 0, got -1.0");
    assertThatThrownBy(() -> registry.create("m2", Options.parse("labelled-weight=-0.5")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labelled-weight")
        .hasMessageContaining("got -0.5");
    assertThatThrownBy(() -> registry.create("m2", Options.parse("beta=-2")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta, the weight of z's KL,")
        .hasMessageContaining("got -2.0");
    assertThatThrownBy(() -> registry.create("m2", Options.parse("labelled-weight=even")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labelled-weight=even")
        .hasMessageContaining("expected a number >= 0 or balanced");
  }

  @Test
  void theModuleComposesIntoATrainerWithAdamByDefault() {
    SemiSupervised variant = (SemiSupervised) registry.create("m2", Options.parse("hidden=4,classifier-hidden=4,latent=2"));
    Injector injector = Guice.createInjector(com.google.inject.util.Modules.override(new CoreModule(),
        new PluginModule(), new SemiSupervisedModule(variant, 6, 3, 1.0, DType.FLOAT64, 1),
        new TrainingModule(TrainerConfig.defaults().toBuilder().epochs(2).seed(1).build())).with(new AbstractModule() {
              @Override
              protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), Backend.class).setBinding().toInstance(new ReferenceBackend());
              }
            }));
    Trainer trainer = injector.getInstance(Trainer.class);
    assertThat(trainer.model()).isSameAs(injector.getInstance(SemiSupervisedTraining.class));
    assertThat(trainer.optimizer()).isSameAs(injector.getInstance(TrainingModule.RUN_OPTIMIZER));
    assertThat(injector.getInstance(SemiSupervisedModel.class).dataDimension()).isEqualTo(6);
    assertThat(injector.getInstance(Optimizer.class)).isInstanceOf(Adam.class);
    assertThat(injector.getInstance(Inputs.class).dimension()).isEqualTo(6);
  }
}
