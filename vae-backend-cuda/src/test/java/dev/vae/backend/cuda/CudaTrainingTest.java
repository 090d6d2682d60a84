package dev.vae.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gradient checks and a long training run on a real GPU, including the pool's device allocations
 * staying flat; skipped with the probe's reason where no usable GPU is present.
 */
@ExtendWith(Gpu.class)
class CudaTrainingTest extends CudaTrainingChecks {
  @Override
  protected CudaBackend cudaBackend() {
    return CudaBackend.open();
  }
}
