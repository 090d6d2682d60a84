package dev.vae.backend.cuda;

import dev.vae.api.DType;

/**
 * A library matrix product (cuBLAS) the device may offer; without one the backend runs its own
 * tiled kernel. Operands are row-major and contiguous, batches stacked along the leading axis.
 */
interface Gemm extends AutoCloseable {
  /** What runs the products, for the log ("cuBLAS 12.6"). */
  String description();

  /**
   * c[b] = op(a[b]) · op(b[b]) for each of {@code batch} products, op(a) m x k and op(b) k x n, all
   * of m, n, k and batch positive.
   */
  void multiply(DType dtype, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int batch, int m, int n, int k,
      boolean transposeA, boolean transposeB);

  @Override
  void close();
}
