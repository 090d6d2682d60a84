package dev.vae.backend.cuda;

import com.google.auto.service.AutoService;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.Probe;

/**
 * Registers the CUDA backend as {@code "cuda"}, ahead of the CPU backend (priority 200) wherever a
 * usable NVIDIA GPU is present. {@link #probe()} looks for the driver library on disk before it
 * loads any native code, never throws, and says in words why the backend cannot run ("no CUDA
 * driver: libcuda.so.1 not found ...", "CUDA driver present but no device"); its answer is computed
 * once per JVM. {@link #create()} opens the device.
 */
@AutoService(BackendProvider.class)
public final class CudaBackendProvider implements BackendProvider {
  private static volatile Probe cached;

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public int priority() {
    return 200;
  }

  @Override
  public Probe probe() {
    Probe probe = cached;
    if (probe == null) {
      synchronized (CudaBackendProvider.class) {
        probe = cached;
        if (probe == null) {
          try {
            probe = CudaProbe.system().probe();
          } catch (Throwable t) {
            probe = Probe.unavailable("the CUDA probe failed: " + t);
          }
          cached = probe;
        }
      }
    }
    return probe;
  }

  @Override
  public Backend create() {
    return CudaBackend.open();
  }
}
