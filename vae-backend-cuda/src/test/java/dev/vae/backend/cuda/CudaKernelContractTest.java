package dev.vae.backend.cuda;

import dev.vae.api.backend.Backend;
import dev.vae.core.testkit.KernelContractSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fused-kernel contract on a real GPU; skipped with "no CUDA device: (the probe's reason)"
 * where no usable GPU is present.
 */
@ExtendWith(Gpu.class)
class CudaKernelContractTest extends KernelContractSuite {
  @Override
  protected Backend backend() {
    return CudaBackend.open();
  }
}
