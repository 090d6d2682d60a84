package dev.vae.backend.cpu;

import dev.vae.api.backend.Backend;
import dev.vae.api.testkit.BackendContractSuite;

/** The shared backend contract suite, run against the CPU backend. */
class CpuBackendContractTest extends BackendContractSuite {
  @Override
  protected Backend backend() {
    return new CpuBackend();
  }
}
