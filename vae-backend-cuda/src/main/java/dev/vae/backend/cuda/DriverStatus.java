package dev.vae.backend.cuda;

/**
 * What a probe learns from the CUDA driver about one device ordinal: the result of {@code cuInit},
 * the CUDA version the driver supports ({@code 13000} for 13.0), the number of devices and, when the
 * ordinal names one, its name and compute capability.
 */
record DriverStatus(int initResult, int driverVersion, int deviceCount, String deviceName, int computeMajor,
    int computeMinor) {
  /** cuInit succeeded. */
  static final int SUCCESS = 0;
  /** CUDA_ERROR_NO_DEVICE. */
  static final int NO_DEVICE = 100;
  /** CUDA_ERROR_STUB_LIBRARY: the toolkit's link stub was loaded instead of a driver. */
  static final int STUB_LIBRARY = 34;
  /** CUDA_ERROR_INSUFFICIENT_DRIVER. */
  static final int INSUFFICIENT_DRIVER = 35;

  /** A driver that failed in cuInit. */
  static DriverStatus initFailed(int result, int driverVersion) {
    return new DriverStatus(result, driverVersion, 0, null, 0, 0);
  }

  /** The compute capability as 10 * major + minor. */
  int computeCapability() {
    return 10 * computeMajor + computeMinor;
  }

  /** A CUDA version number ({@code 13000}) as "13.0". */
  static String version(int cudaVersion) {
    return cudaVersion / 1000 + "." + cudaVersion % 1000 / 10;
  }
}
