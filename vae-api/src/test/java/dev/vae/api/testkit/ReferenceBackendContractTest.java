package dev.vae.api.testkit;

import dev.vae.api.backend.Backend;

/** Runs the contract suite against the reference backend itself: a sanity check of the suite. */
class ReferenceBackendContractTest extends BackendContractSuite {
  @Override
  protected Backend backend() {
    return new ReferenceBackend();
  }
}
