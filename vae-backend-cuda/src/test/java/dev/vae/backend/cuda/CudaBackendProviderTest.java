package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.Probe;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.backend.BackendRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider as the registry sees it: registered for ServiceLoader, cheap and honest. On a
 * machine without a GPU, a registry holding it and an available CPU backend picks the CPU, logs
 * one line about CUDA, and throws nothing.
 */
class CudaBackendProviderTest {
  private final List<LogRecord> records = new ArrayList<>();
  private final Logger registryLogger = Logger.getLogger(BackendRegistry.class.getName());
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (records) {
        records.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** Stands in for vae-backend-cpu, which this module does not depend on. */
  private record FakeCpu() implements BackendProvider {
    @Override
    public String name() {
      return "cpu";
    }

    @Override
    public int priority() {
      return 100;
    }

    @Override
    public Probe probe() {
      return Probe.available("linux-x86_64 natives present");
    }

    @Override
    public Backend create() {
      return new ReferenceBackend();
    }
  }

  @BeforeEach
  void listen() {
    registryLogger.addHandler(handler);
    registryLogger.setLevel(Level.ALL);
  }

  @AfterEach
  void stopListening() {
    registryLogger.removeHandler(handler);
  }

  @Test
  void isNamedCudaWithPriorityAboveTheCpu() {
    CudaBackendProvider provider = new CudaBackendProvider();
    assertThat(provider.name()).isEqualTo("cuda");
    assertThat(provider.priority()).isEqualTo(200);
  }

  @Test
  void isRegisteredForServiceLoader() {
    List<String> names = new ArrayList<>();
    ServiceLoader.load(BackendProvider.class).forEach(p -> names.add(p.name()));
    assertThat(names).contains("cuda");
  }

  @Test
  void probeNeverThrowsAndIsStable() {
    CudaBackendProvider provider = new CudaBackendProvider();
    assertThatCode(provider::probe).doesNotThrowAnyException();
    Probe first = provider.probe();
    assertThat(first.reason()).isNotBlank();
    assertThat(new CudaBackendProvider().probe()).as("computed once per JVM").isSameAs(first);
  }

  @Test
  void withoutAGpuTheRegistryPicksTheCpuAndLogsOneLineAboutCuda() {
    CudaBackendProvider cuda = new CudaBackendProvider();
    Assumptions.assumeFalse(cuda.probe().available(), "this machine has a usable GPU: " + cuda.probe().reason());
    BackendRegistry registry = new BackendRegistry(List.of(cuda, new FakeCpu()));
    Backend[] chosen = new Backend[1];
    assertThatCode(() -> chosen[0] = registry.create(Optional.empty())).doesNotThrowAnyException();
    assertThat(chosen[0]).isInstanceOf(ReferenceBackend.class);
    assertThat(registry.choose(Optional.empty()).name()).isEqualTo("cpu");
    List<String> aboutCuda = records.stream().map(LogRecord::getMessage).filter(m -> m.contains("cuda")).toList();
    assertThat(aboutCuda).as("log lines about the CUDA backend").hasSize(1);
    assertThat(aboutCuda.get(0)).startsWith("Skipped backend cuda (unavailable): ").contains(cuda.probe().reason());
    assertThat(registry.describe()).contains("cuda (priority 200): unavailable");
  }
}
