package dev.vae.backend.cpu;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A rank-2 matrix product {@code c = op(a) · op(b)} as direct BLAS gemm calls, without libnd4j's
 * matmul op, which adds 35–100 µs to each of a VAE step's small products (BENCHMARKS.md,
 * "Arithmetic on the host"). A product worth splitting ({@link #worthSplitting}) is single-threaded
 * gemm calls on bands of {@code c}, shared by the calling thread and the {@link SecondThread}; any
 * other is one call on BLAS's threads. On two cores OpenBLAS's own
 * second thread gains little at a VAE's sizes, while two threads each running gemm on half of a
 * 128 × 784 × 400 float32 product finish it in 0.6–0.8 ms against 1.1–1.5 ms for one call
 * (BENCHMARKS.md, "Matrix products on two threads"). {@code c} is cut by rows when it has at least
 * as many rows as columns, else by columns, into two bands, or four for large products so that a
 * helper that wakes late still finds one; each band is a sub-matrix addressed with the whole
 * matrix's leading dimension, so nothing is copied.
 *
 * <p>All three arrays are rank 2, row-major, contiguous from offset 0 ({@link #fits}), of one dtype.
 */
final class SplitGemm {
  /**
   * The least number of multiply-adds for which a product is split: below it, a half takes a few
   * tens of microseconds, not much more than handing it over.
   */
  static final long SPLIT_MULTIPLY_ADDS = 1L << 20;

  /**
   * The least number of multiply-adds for which a product is cut into four chunks rather than two,
   * so that a helper thread that starts late still finds work.
   */
  static final long LARGE_MULTIPLY_ADDS = 1L << 23;

  private SplitGemm() {}

  /**
   * Whether a product of {@code multiplyAdds} multiply-adds is split: on a machine with two cores,
   * where BLAS runs products of this size on one thread ({@link Nd4jThreads#PARALLEL_MULTIPLY_ADDS}).
   */
  static boolean worthSplitting(long multiplyAdds) {
    return SecondThread.available() && multiplyAdds >= SPLIT_MULTIPLY_ADDS
        && multiplyAdds < Nd4jThreads.PARALLEL_MULTIPLY_ADDS;
  }

  /** Whether {@code x} is a rank-2 array laid out as {@link #multiply} reads and writes it. */
  static boolean fits(INDArray x) {
    return x.rank() == 2 && x.ordering() == 'c' && x.offset() == 0 && !x.isView();
  }

  /**
   * Fills {@code c} ({@code [m, n]}) with {@code op(a) · op(b)}, where {@code op} transposes when
   * its flag is set and the inner dimension is {@code k}.
   */
  static void multiply(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
    Product p = new Product(a, b, c, transposeA, transposeB);
    long multiplyAdds = (long) p.m * p.n * p.k;
    if (!worthSplitting(multiplyAdds)) {
      p.part(true, 0, p.m);
      return;
    }
    boolean byRows = p.m >= p.n;
    int length = byRows ? p.m : p.n;
    int chunks = Math.min(length, multiplyAdds >= LARGE_MULTIPLY_ADDS ? 4 : 2);
    SecondThread.forEachChunk(chunks,
        i -> p.part(byRows, (int) ((long) length * i / chunks), (int) ((long) length * (i + 1) / chunks)));
  }

  /** The operands of one product and its gemm over any band of rows or columns of {@code c}. */
  private static final class Product {
    private final Pointer a;
    private final Pointer b;
    private final Pointer c;
    private final boolean doubles;
    private final boolean transposeA;
    private final boolean transposeB;
    private final int m;
    private final int n;
    private final int k;

    Product(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
      this.doubles = c.dataType() == DataType.DOUBLE;
      this.a = offset(a.data().addressPointer(), 0);
      this.b = offset(b.data().addressPointer(), 0);
      this.c = offset(c.data().addressPointer(), 0);
      this.transposeA = transposeA;
      this.transposeB = transposeB;
      this.m = (int) c.size(0);
      this.n = (int) c.size(1);
      this.k = (int) (transposeA ? a.size(0) : a.size(1));
    }

    /** Computes rows (or columns) {@code [from, to)} of {@code c}. */
    void part(boolean byRows, int from, int to) {
      if (from == to) {
        return;
      }
      int lda = transposeA ? m : k;
      int ldb = transposeB ? k : n;
      if (byRows) {
        // Rows of op(a): rows of a, or columns of a when it is transposed.
        gemm(to - from, n, offset(a, transposeA ? from : (long) from * k), lda, b, ldb, offset(c, (long) from * n));
      } else {
        // Columns of op(b): columns of b, or rows of b when it is transposed.
        gemm(m, to - from, a, lda, offset(b, transposeB ? (long) from * k : from), ldb, offset(c, from));
      }
    }

    /** {@code p} typed by this product's dtype, moved on by {@code elements} elements. */
    private Pointer offset(Pointer p, long elements) {
      return doubles ? new DoublePointer(p).position(elements) : new FloatPointer(p).position(elements);
    }

    private void gemm(int rows, int columns, Pointer x, int ldx, Pointer y, int ldy, Pointer z) {
      int ta = transposeA ? CblasTrans : CblasNoTrans;
      int tb = transposeB ? CblasTrans : CblasNoTrans;
      if (doubles) {
        cblas_dgemm(CblasRowMajor, ta, tb, rows, columns, k, 1.0, (DoublePointer) x, ldx, (DoublePointer) y, ldy,
            0.0, (DoublePointer) z, n);
      } else {
        cblas_sgemm(CblasRowMajor, ta, tb, rows, columns, k, 1f, (FloatPointer) x, ldx, (FloatPointer) y, ldy,
            0f, (FloatPointer) z, n);
      }
    }
  }
}
