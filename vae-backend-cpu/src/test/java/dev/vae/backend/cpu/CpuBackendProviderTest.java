package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.Probe;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Registration, naming and the native-library probe of {@link CpuBackendProvider}. */
class CpuBackendProviderTest {
  private final CpuBackendProvider provider = new CpuBackendProvider();

  @Test
  void isRegisteredForServiceLoaderWithNameAndPriority() {
    assertThat(ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(CpuBackendProvider.class);
    assertThat(provider.name()).isEqualTo("cpu");
    assertThat(provider.priority()).isEqualTo(100);
  }

  @Test
  void probeFindsTheNativeLibrariesOnThisLinuxMachine() {
    Probe probe = provider.probe();
    assertThat(probe.available()).as(probe.reason()).isTrue();
    assertThat(probe.reason()).contains("linux-x86_64");
  }

  @Test
  void probeExplainsAMissingPlatformJar() {
    Probe probe = CpuBackendProvider.probe("Mac OS X", "aarch64", CpuBackendProvider.class.getClassLoader());
    assertThat(probe.available()).isFalse();
    assertThat(probe.reason()).contains("macosx-arm64", "org.nd4j:nd4j-native:1.0.0-M2.1:macosx-arm64",
        "-Djavacpp.platform=macosx-arm64");
  }

  @Test
  void probeExplainsAMissingNd4jAndAnUnsupportedPlatform() throws Exception {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      Probe probe = CpuBackendProvider.probe("Linux", "amd64", empty);
      assertThat(probe.available()).isFalse();
      assertThat(probe.reason()).contains("nd4j-native-platform");
    }
    Probe sparc = CpuBackendProvider.probe("SunOS", "sparcv9", CpuBackendProvider.class.getClassLoader());
    assertThat(sparc.available()).isFalse();
    assertThat(sparc.reason()).contains("SunOS", "sparcv9");
  }

  @Test
  void platformNamesFollowJavaCpp() {
    assertThat(CpuBackendProvider.platform("Linux", "amd64")).isEqualTo("linux-x86_64");
    assertThat(CpuBackendProvider.platform("Windows 11", "amd64")).isEqualTo("windows-x86_64");
    assertThat(CpuBackendProvider.platform("Mac OS X", "x86_64")).isEqualTo("macosx-x86_64");
    assertThat(CpuBackendProvider.platform("Linux", "aarch64")).isEqualTo("linux-arm64");
    assertThat(CpuBackendProvider.platform("Linux", "ppc64le")).isEqualTo("linux-ppc64le");
    assertThat(CpuBackendProvider.platform("Linux", "riscv64")).isNull();
  }

  @Test
  void createsTheCpuBackend() {
    try (Backend backend = provider.create()) {
      assertThat(backend).isInstanceOf(CpuBackend.class);
      assertThat(backend.name()).isEqualTo("cpu");
    }
  }
}
