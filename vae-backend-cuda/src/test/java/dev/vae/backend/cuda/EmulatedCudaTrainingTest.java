package dev.vae.backend.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * Gradient checks and a long training run on the CUDA backend with its kernels run by the
 * {@link KernelEmulator}; skipped, saying so, without a C++17 compiler.
 */
class EmulatedCudaTrainingTest extends CudaTrainingChecks {
  @BeforeAll
  void requireTheEmulator() {
    Assumptions.assumeTrue(KernelEmulator.program().isPresent(), () -> KernelEmulator.whyUnavailable());
  }

  @Override
  protected CudaBackend cudaBackend() {
    return new CudaBackend(new EmulatedDevice(KernelEmulator.program().orElseThrow(), 4));
  }
}
