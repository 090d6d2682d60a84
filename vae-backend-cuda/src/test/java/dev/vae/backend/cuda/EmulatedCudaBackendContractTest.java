package dev.vae.backend.cuda;

import dev.vae.api.backend.Backend;
import dev.vae.api.testkit.BackendContractSuite;

/**
 * The whole backend contract suite against the CUDA backend's Java code and its kernels, the
 * kernels compiled for the host and run by the {@link KernelEmulator} (with at most four blocks per
 * linear launch, so grid-stride loops are exercised). Not a GPU run: the PTX as the driver compiles
 * it and the device's math library are checked by {@link CudaBackendContractTest} on a GPU.
 * Skipped, saying so, where no C++17 compiler is installed.
 */
class EmulatedCudaBackendContractTest extends BackendContractSuite {
  @Override
  protected Backend backend() {
    return KernelEmulator.backend();
  }
}
