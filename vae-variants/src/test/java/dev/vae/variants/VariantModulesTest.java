package dev.vae.variants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.multibindings.OptionalBinder;
import dev.vae.api.DType;
import dev.vae.api.backend.Backend;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.inject.CoreModule;
import dev.vae.core.inject.ModelModule;
import dev.vae.core.inject.PluginModule;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Activation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A variant chosen by name in the model's spec reaches the model built through the Guice modules. */
class VariantModulesTest {
  private static Injector injector(String variant, Map<String, String> options) {
    ModelSpec spec = new ModelSpec(6, new int[] {5}, 3, Activation.TANH, "gaussian", Map.of("sigma", "0.5"), variant,
        options, DType.FLOAT64, 1);
    return Guice.createInjector(com.google.inject.util.Modules.override(new CoreModule(), new PluginModule(),
        new ModelModule(spec)).with(new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), Backend.class).setBinding().toInstance(new ReferenceBackend());
          }
        }));
  }

  @Test
  void theSpecsVariantAndItsPriorAreTheModels() {
    Vae vae = injector("delta", Map.of("prior", "ar1", "alpha", "0.5")).getInstance(Vae.class);
    assertThat(vae.variant()).isInstanceOf(DeltaVae.class);
    assertThat(vae.prior()).isInstanceOf(Ar1Prior.class);
    assertThat(vae.describe()).contains("variant delta");
  }

  @Test
  void aStructuralVariantIsRefusedForAPlainVaeWithWhereToTrainIt() {
    assertThatThrownBy(() -> injector("m2", Map.of()).getInstance(Vae.class)).isInstanceOf(ProvisionException.class)
        .hasMessageContaining("variant m2 changes the model's structure").hasMessageContaining("vae semi-supervised");
  }

  @Test
  void anUnknownVariantFailsWithTheInstalledNames() {
    assertThatThrownBy(() -> injector("beta-vae", Map.of()).getInstance(Vae.class))
        .isInstanceOf(ProvisionException.class).hasMessageContaining("no variant named 'beta-vae'")
        .hasMessageContaining("beta, capacity, delta, elbo, free-bits, iwae, m1+m2, m2");
  }
}
