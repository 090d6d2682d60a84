package dev.vae.backend.cuda;

import dev.vae.api.backend.Backend;
import dev.vae.core.testkit.KernelContractSuite;

/**
 * The fused-kernel contract on the CUDA backend with its kernels run by the {@link KernelEmulator}
 * (see {@link EmulatedCudaBackendContractTest}); skipped, saying so, where no C++17 compiler is
 * installed.
 */
class EmulatedCudaKernelContractTest extends KernelContractSuite {
  @Override
  protected Backend backend() {
    return KernelEmulator.backend();
  }
}
