package dev.vae.backend.cuda;

import dev.vae.api.DType;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;

/**
 * Matrix products by cuBLAS ({@code cublasSgemmStridedBatched} / {@code Dgemm}), through JCuda's
 * cuBLAS binding, which needs a CUDA 12 {@code libcublas.so.12} on the machine. Loaded only by
 * reflection from {@link DriverDevice}, so that a missing binding or library is caught there.
 *
 * <p>cuBLAS is column-major: a row-major m x n C is a column-major n x m Cᵀ, so the product is
 * computed as Cᵀ = op(B)ᵀ · op(A)ᵀ by passing B first, with the transposes carried over. It runs on
 * the legacy default stream, in order with the backend's own kernels, with the default math mode
 * (no TF32 for float32 products).
 */
final class CublasGemm implements Gemm {
  private static final Pointer ONE_F = Pointer.to(new float[] {1});
  private static final Pointer ZERO_F = Pointer.to(new float[] {0});
  private static final Pointer ONE_D = Pointer.to(new double[] {1});
  private static final Pointer ZERO_D = Pointer.to(new double[] {0});

  private final cublasHandle handle;
  private final Runnable makeCurrent;
  private final String description;
  private boolean closed;

  private CublasGemm(cublasHandle handle, Runnable makeCurrent, String description) {
    this.handle = handle;
    this.makeCurrent = makeCurrent;
    this.description = description;
  }

  /** Creates a cuBLAS handle in the current context; {@code makeCurrent} re-establishes it per call. */
  static Gemm open(Runnable makeCurrent) {
    makeCurrent.run();
    cublasHandle handle = new cublasHandle();
    check(JCublas2.cublasCreate(handle), "cublasCreate");
    int[] version = {0};
    check(JCublas2.cublasGetVersion(handle, version), "cublasGetVersion");
    String text = "cuBLAS " + version[0] / 10_000 + "." + version[0] / 100 % 100 + "." + version[0] % 100;
    return new CublasGemm(handle, makeCurrent, text);
  }

  private static void check(int status, String call) {
    if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
      throw new IllegalStateException("cuBLAS call " + call + " failed: " + cublasStatus.stringFor(status));
    }
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void multiply(DType dtype, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int batch, int m, int n, int k,
      boolean transposeA, boolean transposeB) {
    makeCurrent.run();
    int opA = transposeA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
    int opB = transposeB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
    int lda = transposeA ? m : k;
    int ldb = transposeB ? k : n;
    long strideA = (long) m * k;
    long strideB = (long) k * n;
    long strideC = (long) m * n;
    CUdeviceptr pa = (CUdeviceptr) a.handle();
    CUdeviceptr pb = (CUdeviceptr) b.handle();
    CUdeviceptr pc = (CUdeviceptr) c.handle();
    if (dtype == DType.FLOAT32) {
      check(JCublas2.cublasSgemmStridedBatched(handle, opB, opA, n, m, k, ONE_F, pb, ldb, strideB, pa, lda, strideA,
          ZERO_F, pc, n, strideC, batch), "cublasSgemmStridedBatched");
    } else {
      check(JCublas2.cublasDgemmStridedBatched(handle, opB, opA, n, m, k, ONE_D, pb, ldb, strideB, pa, lda, strideA,
          ZERO_D, pc, n, strideC, batch), "cublasDgemmStridedBatched");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      makeCurrent.run();
      JCublas2.cublasDestroy(handle);
    }
  }
}
