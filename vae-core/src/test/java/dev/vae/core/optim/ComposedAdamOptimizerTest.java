package dev.vae.core.optim;

import dev.vae.api.testkit.ReferenceBackend;

/** The optimizer checks with Adam's own tensor-math update (no fused kernel). */
class ComposedAdamOptimizerTest extends OptimizerContract {
  @Override
  ReferenceBackend backend() {
    return ReferenceBackend.withoutFusedKernels();
  }
}
