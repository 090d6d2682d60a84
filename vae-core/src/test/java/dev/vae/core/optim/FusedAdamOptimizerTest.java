package dev.vae.core.optim;

import dev.vae.api.testkit.ReferenceBackend;

/** The optimizer checks with the backend's fused Adam kernel. */
class FusedAdamOptimizerTest extends OptimizerContract {
  @Override
  ReferenceBackend backend() {
    return new ReferenceBackend();
  }
}
