package dev.vae.backend.cuda;

import dev.vae.api.backend.Probe;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether the CUDA backend can run here, in steps that each stop with a reason a user can
 * act on: the platform (JCuda's natives are bundled for linux-x86_64 only), the driver library on
 * disk (found without loading anything), the settings, then the driver itself through
 * {@link DriverQuery} (cuInit, the CUDA version it supports, the device and its compute
 * capability). Nothing here throws: a failure at any step is an unavailable answer.
 */
final class CudaProbe {
  private final String osName;
  private final String osArch;
  private final DriverLibrary library;
  private final Supplier<CudaOptions> options;
  private final DriverQuery query;

  CudaProbe(String osName, String osArch, DriverLibrary library, Supplier<CudaOptions> options, DriverQuery query) {
    this.osName = osName;
    this.osArch = osArch;
    this.library = library;
    this.options = options;
    this.query = query;
  }

  /** The probe of this JVM and machine. */
  static CudaProbe system() {
    return new CudaProbe(System.getProperty("os.name", "unknown"), System.getProperty("os.arch", "unknown"),
        DriverLibrary.system(), CudaOptions::fromSystem, new JCudaQuery());
  }

  /** Availability and its reason; never throws. */
  Probe probe() {
    try {
      return probeSteps();
    } catch (Throwable t) {
      return Probe.unavailable("the CUDA probe failed: " + t);
    }
  }

  private Probe probeSteps() {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      return Probe.unavailable("the CUDA backend bundles JCuda's natives for linux-x86_64 only; this JVM runs on "
          + osName + " " + osArch);
    }
    Optional<Path> driver = library.locate();
    if (driver.isEmpty()) {
      return Probe.unavailable("no CUDA driver: " + DriverLibrary.NAME + " not found (install the NVIDIA driver, "
          + "version 580 or newer; searched LD_LIBRARY_PATH, " + DriverLibrary.LD_CACHE + " and "
          + library.directories().size() + " library directories)");
    }
    CudaOptions settings;
    try {
      settings = options.get();
    } catch (IllegalArgumentException e) {
      return Probe.unavailable(e.getMessage());
    }
    DriverStatus status;
    try {
      status = query.query(settings.device());
    } catch (Throwable t) {
      return Probe.unavailable("the CUDA driver at " + driver.get() + " could not be loaded through JCuda: "
          + summary(t));
    }
    return judge(status, driver.get(), settings.device());
  }

  /** The answer for what the driver said. */
  static Probe judge(DriverStatus status, Path driver, int ordinal) {
    int init = status.initResult();
    if (init == DriverStatus.NO_DEVICE) {
      return Probe.unavailable("CUDA driver present but no device (cuInit: CUDA_ERROR_NO_DEVICE)");
    }
    if (init == DriverStatus.STUB_LIBRARY) {
      return Probe.unavailable(DriverLibrary.NAME + " at " + driver + " is the CUDA toolkit's stub library, not a "
          + "driver; install the NVIDIA driver (580 or newer) or take the stubs directory off LD_LIBRARY_PATH");
    }
    if (init == DriverStatus.INSUFFICIENT_DRIVER) {
      return Probe.unavailable("the NVIDIA driver is too old for this CUDA binding (cuInit: "
          + "CUDA_ERROR_INSUFFICIENT_DRIVER); install driver 580 or newer");
    }
    if (init != DriverStatus.SUCCESS) {
      return Probe.unavailable("the CUDA driver at " + driver + " failed to initialise: " + errorName(init));
    }
    if (status.deviceCount() == 0) {
      return Probe.unavailable("CUDA driver present but no device");
    }
    if (status.driverVersion() < KernelAbi.MIN_DRIVER_VERSION) {
      return Probe.unavailable("the NVIDIA driver supports CUDA " + DriverStatus.version(status.driverVersion())
          + " but the backend's kernels (PTX ISA " + KernelAbi.PTX_ISA + ") need CUDA "
          + DriverStatus.version(KernelAbi.MIN_DRIVER_VERSION) + ": install driver 580 or newer");
    }
    if (ordinal >= status.deviceCount()) {
      return Probe.unavailable(CudaOptions.DEVICE + " is " + ordinal + " but the driver sees "
          + status.deviceCount() + " device(s), numbered from 0");
    }
    String device = status.deviceName() + " (device " + ordinal + ", compute capability " + status.computeMajor()
        + "." + status.computeMinor() + ")";
    if (status.computeCapability() < KernelAbi.MIN_COMPUTE_CAPABILITY) {
      return Probe.unavailable(device + " is older than the kernels support: they need compute capability "
          + KernelAbi.MIN_COMPUTE_CAPABILITY / 10 + "." + KernelAbi.MIN_COMPUTE_CAPABILITY % 10 + " or newer");
    }
    return Probe.available(device + ", driver for CUDA " + DriverStatus.version(status.driverVersion()));
  }

  /**
   * A throwable in one line: its class and the first line of its message, plus the loader's own
   * complaint when JCuda's message buries it in nested stack traces ("libcuda.so.1: cannot open
   * shared object file: ...").
   */
  static String summary(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    String[] lines = message.split("\\R");
    StringBuilder sb = new StringBuilder(t.getClass().getName());
    if (!lines[0].isBlank()) {
      sb.append(": ").append(lines[0].strip());
    }
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int so = line.indexOf(".so: ");
      if (so >= 0 && (line.contains("cannot open shared object file") || line.contains("undefined symbol"))) {
        sb.append(" (").append(line.substring(so + 5).strip()).append(')');
        break;
      }
    }
    return sb.toString();
  }

  /** The CUDA error's name, e.g. CUDA_ERROR_UNKNOWN. */
  static String errorName(int result) {
    try {
      return jcuda.driver.CUresult.stringFor(result);
    } catch (LinkageError e) {
      return "CUDA error " + result;
    }
  }
}
