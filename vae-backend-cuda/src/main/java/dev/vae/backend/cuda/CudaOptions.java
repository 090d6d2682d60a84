package dev.vae.backend.cuda;

import java.util.function.Function;

/**
 * Settings of the CUDA backend, read from system properties (or environment variables):
 * <ul>
 *   <li>{@code vae.cuda.device} / {@code VAE_CUDA_DEVICE}: the device ordinal, 0 by default;
 *   <li>{@code vae.cuda.cublas} / {@code VAE_CUDA_CUBLAS}: {@code false} keeps cuBLAS unloaded and
 *       runs matrix products on the backend's own kernel;
 *   <li>{@code vae.cuda.sync} / {@code VAE_CUDA_SYNC}: {@code true} waits for every kernel and
 *       checks it, so that an error names the kernel that caused it (slow; for debugging).
 * </ul>
 */
record CudaOptions(int device, boolean cublas, boolean synchronous) {
  static final String DEVICE = "vae.cuda.device";
  static final String CUBLAS = "vae.cuda.cublas";
  static final String SYNC = "vae.cuda.sync";

  CudaOptions {
    if (device < 0) {
      throw new IllegalArgumentException(DEVICE + " must be a device ordinal (0, 1, ...), got " + device);
    }
  }

  /** The settings of this JVM. */
  static CudaOptions fromSystem() {
    return from(name -> {
      String value = System.getProperty(name);
      if (value == null || value.isBlank()) {
        value = System.getenv(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
      }
      return value == null || value.isBlank() ? null : value.trim();
    });
  }

  /** The settings given by a lookup of property names (null when unset). */
  static CudaOptions from(Function<String, String> lookup) {
    String device = lookup.apply(DEVICE);
    int ordinal;
    try {
      ordinal = device == null ? 0 : Integer.parseInt(device);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(DEVICE + " must be a device ordinal (0, 1, ...), got '" + device + "'", e);
    }
    String cublas = lookup.apply(CUBLAS);
    String sync = lookup.apply(SYNC);
    return new CudaOptions(ordinal, cublas == null || !cublas.equalsIgnoreCase("false"),
        sync != null && sync.equalsIgnoreCase("true"));
  }
}
