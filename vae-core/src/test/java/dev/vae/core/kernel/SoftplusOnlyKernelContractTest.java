package dev.vae.core.kernel;

import dev.vae.api.backend.Backend;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.testkit.KernelContractSuite;

/**
 * The kernel contract on a backend with softplus but not softplus with its slope, as the CUDA
 * backend is: the path where the engine adds one sigmoid for the gradient.
 */
class SoftplusOnlyKernelContractTest extends KernelContractSuite {
  @Override
  protected Backend backend() {
    return ReferenceBackend.withFusedKernelsExcept(FusedKernel.SoftplusWithSlope.class);
  }
}
