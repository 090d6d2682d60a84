package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.Probe;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

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
  @EnabledOnOs(OS.LINUX)
  void probeLoadsNoNativeLibrary() throws Exception {
    // This JVM has loaded OpenBLAS for other tests already, so the probe runs in a fresh one.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        FreshJvmProbe.class.getName()).redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("available: true").contains("native libraries mapped: none");
  }

  /** Runs a probe in its own JVM and reports which of the native libraries are mapped afterwards. */
  static final class FreshJvmProbe {
    private FreshJvmProbe() {}

    /** Prints the probe's answer and the native libraries mapped into this process. */
    public static void main(String[] args) throws IOException {
      Probe probe = new CpuBackendProvider().probe();
      System.out.println("available: " + probe.available() + " (" + probe.reason() + ")");
      String mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
          .filter(line -> line.contains("nd4j") || line.contains("openblas") || line.contains("jnijavacpp"))
          .map(line -> line.substring(line.lastIndexOf(' ') + 1)).distinct()
          .reduce((a, b) -> a + ", " + b).orElse("none");
      System.out.println("native libraries mapped: " + mapped);
    }
  }

  @Test
  void probeExplainsAMissingPlatformJar() {
    Probe probe = CpuBackendProvider.probe("Mac OS X", "aarch64", CpuBackendProvider.class.getClassLoader());
    assertThat(probe.available()).isFalse();
    assertThat(probe.reason()).contains("macosx-arm64", "org.nd4j:nd4j-native-platform:1.0.0-M2.1",
        "org.bytedeco:openblas:0.3.19-1.5.7:macosx-arm64", "-Djavacpp.platform=macosx-arm64");
  }

  @Test
  void probeExplainsMissingLibrariesAndAnUnsupportedPlatform() throws Exception {
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
