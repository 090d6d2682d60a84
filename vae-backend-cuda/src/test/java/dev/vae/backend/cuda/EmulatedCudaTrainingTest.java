package dev.vae.backend.cuda;

import org.junit.jupiter.api.BeforeAll;

/**
 * Gradient checks and a long training run on the CUDA backend with its kernels run by the
 * {@link KernelEmulator}; skipped, saying so, without a C++17 compiler.
 */
class EmulatedCudaTrainingTest extends CudaTrainingChecks {
  @BeforeAll
  void requireTheEmulator() {
    KernelEmulator.require();
  }

  @Override
  protected CudaBackend cudaBackend() {
    return KernelEmulator.backend();
  }
}
