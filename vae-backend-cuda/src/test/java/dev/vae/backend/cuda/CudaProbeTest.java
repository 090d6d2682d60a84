package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.backend.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way the probe can end, with a fake driver library on disk and fake driver answers; and the
 * real probe of this machine, which must answer without throwing.
 */
class CudaProbeTest {
  @TempDir
  Path dir;

  private static final CudaOptions DEFAULTS = new CudaOptions(0, true, false);
  private static final DriverQuery MUST_NOT_RUN = ordinal -> {
    throw new AssertionError("the driver must not be queried");
  };

  private DriverLibrary libraryPresent() throws IOException {
    Files.createFile(dir.resolve(DriverLibrary.NAME));
    return new DriverLibrary(List.of(dir), null);
  }

  private DriverLibrary libraryAbsent() {
    return new DriverLibrary(List.of(dir), dir.resolve("no-cache"));
  }

  private Probe probe(DriverLibrary library, DriverQuery query) {
    return new CudaProbe("Linux", "amd64", library, () -> DEFAULTS, query).probe();
  }

  private static DriverStatus device(int driverVersion, int count, int major, int minor) {
    return new DriverStatus(DriverStatus.SUCCESS, driverVersion, count, "NVIDIA Test GPU", major, minor);
  }

  @Test
  void otherPlatformsAreUnavailableBeforeAnythingIsLoaded() {
    Probe probe = new CudaProbe("Mac OS X", "aarch64", libraryAbsent(), () -> DEFAULTS, MUST_NOT_RUN).probe();
    assertThat(probe.available()).isFalse();
    assertThat(probe.reason()).contains("linux-x86_64 only").contains("Mac OS X aarch64");
  }

  @Test
  void withoutTheDriverLibraryNothingNativeIsLoaded() {
    Probe probe = probe(libraryAbsent(), MUST_NOT_RUN);
    assertThat(probe.available()).isFalse();
    assertThat(probe.reason()).startsWith("no CUDA driver: libcuda.so.1 not found (install the NVIDIA driver");
  }

  @Test
  void aDriverThatFailsToLoadIsUnavailableWithTheError() throws IOException {
    Probe probe = probe(libraryPresent(), ordinal -> {
      throw new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file");
    });
    assertThat(probe.available()).isFalse();
    assertThat(probe.reason()).contains("could not be loaded").contains("cannot open shared object file");
  }

  @Test
  void driverAnswersMapToReasons() throws IOException {
    Path lib = dir.resolve(DriverLibrary.NAME);
    assertThat(CudaProbe.judge(DriverStatus.initFailed(DriverStatus.NO_DEVICE, 13000), lib, 0).reason())
        .startsWith("CUDA driver present but no device");
    assertThat(CudaProbe.judge(device(13000, 0, 0, 0), lib, 0).reason())
        .isEqualTo("CUDA driver present but no device");
    assertThat(CudaProbe.judge(DriverStatus.initFailed(DriverStatus.STUB_LIBRARY, 0), lib, 0).reason())
        .contains("stub library");
    assertThat(CudaProbe.judge(DriverStatus.initFailed(DriverStatus.INSUFFICIENT_DRIVER, 0), lib, 0).reason())
        .contains("too old");
    assertThat(CudaProbe.judge(DriverStatus.initFailed(999, 13000), lib, 0).reason())
        .contains("failed to initialise").contains("CUDA_ERROR_UNKNOWN");
    assertThat(CudaProbe.judge(device(12040, 1, 9, 0), lib, 0).reason())
        .contains("supports CUDA 12.4").contains("need CUDA 13.0").contains("580");
    assertThat(CudaProbe.judge(device(13000, 2, 9, 0), lib, 2).reason())
        .contains("vae.cuda.device is 2").contains("2 device(s)");
    assertThat(CudaProbe.judge(device(13000, 1, 6, 1), lib, 0).reason())
        .contains("compute capability 6.1").contains("need compute capability 7.5");
    for (DriverStatus unavailable : List.of(device(12040, 1, 9, 0), device(13000, 1, 7, 0))) {
      assertThat(CudaProbe.judge(unavailable, lib, 0).available()).isFalse();
    }
  }

  @Test
  void aGoodDeviceIsAvailableAndDescribed() throws IOException {
    Probe probe = probe(libraryPresent(), ordinal -> device(13000, 1, 9, 0));
    assertThat(probe.available()).isTrue();
    assertThat(probe.reason()).isEqualTo("NVIDIA Test GPU (device 0, compute capability 9.0), driver for CUDA 13.0");
    assertThat(CudaProbe.judge(device(13020, 1, 7, 5), dir, 0).available()).as("Turing is the oldest").isTrue();
  }

  @Test
  void badSettingsAreAReasonNotAnError() throws IOException {
    Probe probe = new CudaProbe("Linux", "x86_64", libraryPresent(), () -> CudaOptions.from(
        name -> name.equals(CudaOptions.DEVICE) ? "first" : null), MUST_NOT_RUN).probe();
    assertThat(probe.available()).isFalse();
    assertThat(probe.reason()).contains("vae.cuda.device").contains("'first'");
  }

  @Test
  void anythingThrownIsCaught() {
    Probe probe = new CudaProbe("Linux", "amd64", null, () -> DEFAULTS, MUST_NOT_RUN).probe();
    assertThat(probe.available()).isFalse();
    assertThat(probe.reason()).contains("the CUDA probe failed");
  }

  @Test
  void thisMachinesProbeAnswersWithoutThrowing() {
    Probe probe = CudaProbe.system().probe();
    assertThat(probe.reason()).isNotBlank();
    if (DriverLibrary.system().locate().isEmpty()) {
      assertThat(probe.available()).isFalse();
      assertThat(probe.reason()).startsWith("no CUDA driver: libcuda.so.1 not found");
    }
  }

  @Test
  void jcudaFailingToLinkTheDriverIsAnUnavailableAnswer() throws IOException {
    // A libcuda.so.1 that the search finds but the dynamic loader does not: loading JCuda's driver
    // binding fails with a linkage error, which the probe must turn into a reason.
    Assumptions.assumeTrue(DriverLibrary.system().locate().isEmpty(),
        "this machine has a real NVIDIA driver; the failed-link path cannot be provoked here");
    AtomicBoolean queried = new AtomicBoolean();
    JCudaQuery real = new JCudaQuery();
    // JCuda extracts its native library to java.io.tmpdir: keep it inside this test's directory.
    String tmp = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", dir.toString());
    Probe probe;
    try {
      probe = probe(libraryPresent(), ordinal -> {
        queried.set(true);
        return real.query(ordinal);
      });
    } finally {
      System.setProperty("java.io.tmpdir", tmp);
    }
    assertThat(queried).isTrue();
    assertThat(probe.available()).isFalse();
    assertThat(probe.reason()).contains("could not be loaded through JCuda").contains("Error")
        .doesNotContain("\n");
  }

  @Test
  void summariesKeepTheLoadersComplaintAndDropStackTraces() {
    Throwable t = new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver\"\nStack trace:\n"
        + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file: "
        + "No such file or directory\n\tat java.base/...");
    assertThat(CudaProbe.summary(t)).isEqualTo("java.lang.UnsatisfiedLinkError: Error while loading native library "
        + "\"JCudaDriver\" (libcuda.so.1: cannot open shared object file: No such file or directory)");
    assertThat(CudaProbe.summary(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
  }
}
