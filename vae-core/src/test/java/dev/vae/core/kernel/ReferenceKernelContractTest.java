package dev.vae.core.kernel;

import dev.vae.api.backend.Backend;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.testkit.KernelContractSuite;

/** The kernel contract on the reference backend, whose kernels are written directly in float64. */
class ReferenceKernelContractTest extends KernelContractSuite {
  @Override
  protected Backend backend() {
    return new ReferenceBackend();
  }
}
