package dev.vae.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.Probe;
import dev.vae.api.testkit.ReferenceBackend;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backend choice: priorities, ties, explicit requests and the messages when nothing fits. */
class BackendRegistryTest {
  private record Fake(String name, int priority, Probe answer) implements BackendProvider {
    @Override
    public Probe probe() {
      return answer;
    }

    @Override
    public Backend create() {
      return new ReferenceBackend();
    }
  }

  private static final Fake GPU = new Fake("gpu", 200, Probe.unavailable("no CUDA driver: libcuda.so.1 not found"));
  private static final Fake CPU = new Fake("cpu", 100, Probe.available("linux-x86_64 natives present"));
  private static final Fake ALPHA = new Fake("alpha", 100, Probe.available("ok"));

  @Test
  void highestAvailablePriorityWinsAndUnavailableOnesAreSkipped() {
    assertThat(new BackendRegistry(List.of(CPU, GPU)).choose(Optional.empty())).isEqualTo(CPU);
  }

  @Test
  void tiesAreBrokenByNameWhateverTheDiscoveryOrder() {
    assertThat(new BackendRegistry(List.of(CPU, ALPHA)).choose(Optional.empty())).isEqualTo(ALPHA);
    assertThat(new BackendRegistry(List.of(ALPHA, CPU)).choose(Optional.empty())).isEqualTo(ALPHA);
  }

  @Test
  void aRequestedBackendIsUsedEvenWithLowerPriority() {
    Fake low = new Fake("low", 1, Probe.available("ok"));
    assertThat(new BackendRegistry(List.of(CPU, low)).choose(Optional.of("LOW"))).isEqualTo(low);
  }

  @Test
  void requestingAnUnavailableBackendExplainsEveryBackend() {
    assertThatThrownBy(() -> new BackendRegistry(List.of(CPU, GPU)).choose(Optional.of("gpu")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'gpu' was requested but is unavailable")
        .hasMessageContaining("libcuda.so.1 not found")
        .hasMessageContaining("cpu (priority 100): available");
  }

  @Test
  void requestingAnUnknownBackendListsWhatWasFound() {
    assertThatThrownBy(() -> new BackendRegistry(List.of(CPU, GPU)).choose(Optional.of("tpu")))
        .hasMessageContaining("'tpu' was requested but is not on the classpath")
        .hasMessageContaining("gpu (priority 200): unavailable")
        .hasMessageContaining("cpu (priority 100): available");
  }

  @Test
  void aProbeThatThrowsCountsAsUnavailableWithItsError() {
    BackendProvider broken = new Fake("broken", 500, null);
    BackendProvider throwing = new BackendProvider() {
      @Override
      public String name() {
        return "throwing";
      }

      @Override
      public int priority() {
        return 900;
      }

      @Override
      public Probe probe() {
        throw new UnsatisfiedLinkError("no jnicudart in java.library.path");
      }

      @Override
      public Backend create() {
        throw new AssertionError("must not be created");
      }
    };
    BackendRegistry registry = new BackendRegistry(List.of(throwing, broken, CPU));
    assertThat(registry.choose(Optional.empty())).isEqualTo(CPU);
    assertThat(registry.describe()).contains("its probe failed").contains("jnicudart")
        .contains("its probe returned no answer");
  }

  @Test
  void nothingAvailableSaysWhatToAdd() {
    assertThatThrownBy(() -> new BackendRegistry(List.of(GPU)).choose(Optional.empty()))
        .hasMessageContaining("no compute backend is available")
        .hasMessageContaining("vae-backend-cpu");
  }
}
