package dev.vae.backend.cpu;

import dev.vae.api.backend.Backend;
import dev.vae.api.testkit.BackendContractSuite;

/** The shared backend contract suite, run against the ND4J backend. */
class CpuBackendContractTest extends BackendContractSuite {
  private static final Backend BACKEND = new CpuBackendProvider().create();

  @Override
  protected Backend backend() {
    return BACKEND;
  }
}
