package dev.vae.backend.cpu;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import java.io.File;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bytedeco.javacpp.Loader;
import org.netlib.util.intW;

/**
 * Matrix products, Cholesky factors and triangular solves on row-major Java arrays, through the
 * OpenBLAS (with its LAPACK) that nd4j-native-platform ships. The calls go through netlib's JNI
 * binding, which hands the Java arrays to BLAS in place (pinned, not copied): JavaCPP's array
 * overloads copy every operand in and out, which cost 1.0 ms of a 4.3 ms step of the MNIST model's
 * products and made the large MLP's four times slower (BENCHMARKS.md, "The floor"). Where netlib
 * has no native binding for the platform, its pure-Java BLAS and LAPACK take over, slower but exact.
 *
 * <p>BLAS is column-major: a row-major matrix is its transpose there, so C = op(A) op(B) is
 * computed as Cᵀ = op(B)ᵀ op(A)ᵀ, and the triangles and sides of LAPACK's calls are mirrored.
 */
final class Blas {
  private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib");
  private static final String LIBRARY = openBlasLibrary();
  private static final BLAS BLAS_ = BLAS.getInstance();
  private static final LAPACK LAPACK_ = LAPACK.getInstance();

  /** Products of at least this many multiply-adds are cut into bands that {@link Parallel} shares. */
  static final long SHARED_FROM = 1L << 20;

  private Blas() {}

  /** Which implementation runs the products, for the backend's log line. */
  static String describe() {
    return BLAS_.getClass().getSimpleName().startsWith("JNI")
        ? "OpenBLAS from nd4j-native-platform (" + new File(LIBRARY).getName() + ")"
        : "netlib's Java BLAS (" + BLAS_.getClass().getSimpleName() + "; no native binding on this platform)";
  }

  /**
   * Makes netlib bind the OpenBLAS builds that JavaCPP unpacks from nd4j-native-platform's jars: the
   * one without LAPACK for BLAS, set to one thread (the backend threads products itself), and the
   * one with LAPACK for Cholesky factors. OpenBLAS's thread count is set on the library JavaCPP
   * looks it up in, so the build without LAPACK is loaded and set before the other. netlib's notes
   * about the fallbacks it did not need stay off the console. Returns the BLAS library's path.
   */
  private static String openBlasLibrary() {
    NETLIB_LOG.setLevel(Level.SEVERE);
    File folder = new File(Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class)).getParentFile();
    org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
    Loader.load(org.bytedeco.openblas.global.openblas.class);
    String blas = new File(folder, System.mapLibraryName("openblas_nolapack") + ".0").getPath();
    System.setProperty("dev.ludovic.netlib.blas.nativeLibPath", blas);
    System.setProperty("dev.ludovic.netlib.lapack.nativeLibPath",
        new File(folder, System.mapLibraryName("openblas") + ".0").getPath());
    return blas;
  }

  /**
   * C[batch] = op(A[batch]) · op(B[batch]) for {@code batches} row-major matrices laid end to end:
   * op(A) is m × k, op(B) k × n; C is overwritten (zeros when k is 0, without calling netlib, which
   * rejects empty operands). A large product is cut into bands of C's rows
   * (or columns, when it has more of them), one single-threaded call each, addressed in place
   * through the whole matrices' leading dimensions.
   */
  static void matmul(Object a, Object b, Object c, int batches, int m, int n, int k,
      boolean transposeA, boolean transposeB) {
    if (k == 0) {
      Layout.fill(c, 0);
      return;
    }
    long work = (long) batches * m * n * k;
    int bands = work < SHARED_FROM ? 1 : Parallel.threads() * (work < 16 * SHARED_FROM ? 1 : 2);
    boolean byRows = m >= n;
    int across = byRows ? m : n;
    Parallel.Chunk each = chunk -> {
      int batch = chunk / bands;
      int band = chunk % bands;
      int from = (int) ((long) across * band / bands);
      int width = (int) ((long) across * (band + 1) / bands) - from;
      int ao = batch * m * k;
      int bo = batch * k * n;
      int co = batch * m * n + (byRows ? from * n : from);
      if (bands == 1) {
        gemm(a, ao, transposeA ? m : k, b, bo, transposeB ? k : n, c, co, m, n, k, n, transposeA, transposeB);
      } else if (byRows && !transposeA) {
        gemm(a, ao + from * k, k, b, bo, transposeB ? k : n, c, co, width, n, k, n, false, transposeB);
      } else if (byRows) { // op(A)'s rows are columns of A: copy them out, as A's block is not addressable alone
        gemm(columns(a, ao + from, k, m, width), 0, width, b, bo, transposeB ? k : n, c, co, width, n, k, n, true,
            transposeB);
      } else if (transposeB) {
        gemm(a, ao, transposeA ? m : k, b, bo + from * k, k, c, co, m, width, k, n, transposeA, true);
      } else {
        gemm(a, ao, transposeA ? m : k, columns(b, bo + from, k, n, width), 0, width, c, co, m, width, k, n,
            transposeA, false);
      }
    };
    if (bands == 1) {
      for (int batch = 0; batch < batches; batch++) {
        each.run(batch);
      }
    } else {
      Parallel.forChunks(batches * bands, each);
    }
  }

  /**
   * One call: the rows × cols block of C at {@code co} (leading dimension ldc) from op(A) at
   * {@code ao} and op(B) at {@code bo}, with their leading dimensions.
   */
  private static void gemm(Object a, int ao, int lda, Object b, int bo, int ldb, Object c, int co, int rows,
      int cols, int k, int ldc, boolean transposeA, boolean transposeB) {
    if (rows == 0 || cols == 0) {
      return;
    }
    String ta = transposeA ? "T" : "N";
    String tb = transposeB ? "T" : "N";
    if (c instanceof float[] cf) {
      BLAS_.sgemm(tb, ta, cols, rows, k, 1f, (float[]) b, bo, Math.max(1, ldb), (float[]) a, ao, Math.max(1, lda),
          0f, cf, co, ldc);
    } else {
      BLAS_.dgemm(tb, ta, cols, rows, k, 1.0, (double[]) b, bo, Math.max(1, ldb), (double[]) a, ao,
          Math.max(1, lda), 0.0, (double[]) c, co, ldc);
    }
  }

  /**
   * The {@code width} columns from {@code first} of a rows × stride row-major matrix, copied into
   * this thread's scratch as a compact rows × width matrix. netlib checks each operand's whole
   * extent, offset + leading dimension × columns, so a band of columns inside a wider matrix cannot
   * be handed to it in place.
   */
  private static Object columns(Object x, int first, int rows, int stride, int width) {
    Object band = Scratch.array(Scratch.BAND, x, rows * width);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(x, first + r * stride, band, r * width, width);
    }
    return band;
  }

  /**
   * Overwrites each n × n matrix of {@code l} (a copy of the input) with its lower Cholesky factor,
   * zeros above the diagonal. Returns the first batch index that is not positive definite, or −1.
   */
  static int cholesky(Object l, int batches, int n) {
    intW info = new intW(0);
    for (int batch = 0; batch < batches; batch++) {
      int at = batch * n * n;
      if (l instanceof float[] f) {
        LAPACK_.spotrf("U", n, f, at, Math.max(1, n), info);
      } else {
        LAPACK_.dpotrf("U", n, (double[]) l, at, Math.max(1, n), info);
      }
      for (int i = 0; i < n; i++) {
        if (info.val != 0 || !(java.lang.reflect.Array.getDouble(l, at + i * n + i) > 0)) {
          return batch; // OpenBLAS passes a NaN pivot, which LAPACK's reference rejects
        }
        int from = at + i * n + i + 1;
        int to = at + (i + 1) * n;
        if (l instanceof float[] f) {
          java.util.Arrays.fill(f, from, to, 0f);
        } else {
          java.util.Arrays.fill((double[]) l, from, to, 0.0);
        }
      }
    }
    return -1;
  }

  /**
   * Overwrites each n × k right-hand side in {@code x} (a copy of B) with X solving op(A) X = B,
   * A n × n triangular: lower or upper as told, transposed when asked.
   */
  static void triangularSolve(Object a, Object x, int batches, int n, int k, boolean lower, boolean transposeA) {
    if (n == 0 || k == 0) {
      return;
    }
    String uplo = lower ? "U" : "L";
    String trans = transposeA ? "T" : "N";
    for (int batch = 0; batch < batches; batch++) {
      int ao = batch * n * n;
      int xo = batch * n * k;
      if (x instanceof float[] f) {
        BLAS_.strsm("R", uplo, trans, "N", k, n, 1f, (float[]) a, ao, n, f, xo, k);
      } else {
        BLAS_.dtrsm("R", uplo, trans, "N", k, n, 1.0, (double[]) a, ao, n, (double[]) x, xo, k);
      }
    }
  }
}
