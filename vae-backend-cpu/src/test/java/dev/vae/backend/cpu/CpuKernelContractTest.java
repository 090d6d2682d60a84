package dev.vae.backend.cpu;

import dev.vae.api.backend.Backend;
import dev.vae.core.testkit.KernelContractSuite;

/** The fused-kernel contract on the CPU backend: each kernel it implements against the core's composition. */
class CpuKernelContractTest extends KernelContractSuite {
  @Override
  protected Backend backend() {
    return new CpuBackend();
  }
}
