package dev.vae.backend.cuda;

import dev.vae.api.backend.Backend;
import dev.vae.api.testkit.BackendContractSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backend contract suite on a real GPU: the committed PTX as the driver JIT-compiles it, the
 * device's math library, cuBLAS when it loads. Skipped with "no CUDA device: (the probe's reason)"
 * where no usable GPU is present; run with {@code -Dvae.cuda.sync=true} to have every kernel
 * checked as it finishes.
 */
@ExtendWith(Gpu.class)
class CudaBackendContractTest extends BackendContractSuite {
  @Override
  protected Backend backend() {
    return CudaBackend.open();
  }
}
