package dev.vae.benchmarks;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import dev.ludovic.netlib.blas.BLAS;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The floor under a training step of a VAE: the float32 matrix products one step of the model
 * performs (forward, and backward for the weights and the inputs of every layer but the first),
 * run back to back as single OpenBLAS calls on preallocated operands, with nothing else in
 * between. A step can be no faster; what a backend's step takes beyond this is its overhead. Each
 * set runs three ways on the same OpenBLAS: operands in native memory (JavaCPP pointers), in Java
 * arrays through JavaCPP's float[] overload (which copies them in and out), and in Java arrays
 * through netlib's JNI binding (which pins them), as the CPU backend calls it; so the cost of
 * keeping tensors on the heap is measured, not guessed.
 *
 * <p>Usage: {@code GemmFloor [steps]} (default 200 a round, 5 rounds each after 10 of warm-up, for the default model
 * 784-400-20-400-784 at batch 128, the large MLP 784-1024-1024-64 at batch 1024 and the reference
 * ConvVAE at batch 128, whose convolutions are products of patches). BLAS threads
 * follow {@code OMP_NUM_THREADS} / {@code OPENBLAS_NUM_THREADS}.
 */
public final class GemmFloor {
  /** One product C[m, n] = op(A) · op(B) with inner size k. */
  private record Product(int m, int k, int n, boolean transposeA, boolean transposeB) {
    long flops() {
      return 2L * m * k * n;
    }
  }

  /** How the operands reach BLAS. */
  private enum Operands { NATIVE_MEMORY, JAVA_ARRAYS_COPIED, JAVA_ARRAYS_PINNED }

  private static BLAS pinned;

  private GemmFloor() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    File folder = new File(Loader.load(openblas_nolapack.class)).getParentFile();
    System.setProperty("dev.ludovic.netlib.blas.nativeLibPath",
        new File(folder, System.mapLibraryName("openblas_nolapack") + ".0").getPath());
    pinned = BLAS.getInstance();
    report("default model 784-400-20-400-784, batch 128", products(128, new int[] {784, 400}, 20), steps);
    report("large MLP 784-1024-1024-64, batch 1024", products(1024, new int[] {784, 1024, 1024}, 64), steps);
    report("reference ConvVAE, batch 128", convProducts(), steps);
  }

  /**
   * The products of one step of an MLP VAE: an encoder through the given widths to a head of
   * 2·latent outputs (mean and log-variance), a decoder from the latent back through the widths
   * reversed.
   */
  private static List<Product> products(int batch, int[] widths, int latent) {
    List<int[]> layers = new ArrayList<>();
    for (int i = 0; i + 1 < widths.length; i++) {
      layers.add(new int[] {batch, widths[i], widths[i + 1]});
    }
    layers.add(new int[] {batch, widths[widths.length - 1], 2 * latent});
    layers.add(new int[] {batch, latent, widths[widths.length - 1]});
    for (int i = widths.length - 1; i > 0; i--) {
      layers.add(new int[] {batch, widths[i], widths[i - 1]});
    }
    return withBackward(layers);
  }

  /**
   * The products of one step of the reference ConvVAE (see {@code ConvNetworkProvider}) at batch
   * 128, as our convolutions compute them: a convolution is patches [n·oh·ow, c·16] times its
   * weight, a transposed convolution pixels [n·h·w, c] times its weight [c, out·16].
   */
  private static List<Product> convProducts() {
    int n = 128;
    int latent = 20;
    return withBackward(List.of(
        new int[] {n * 14 * 14, 16, 32}, new int[] {n * 7 * 7, 32 * 16, 64},
        new int[] {n, 3136, 256}, new int[] {n, 256, 2 * latent},
        new int[] {n, latent, 256}, new int[] {n, 256, 3136},
        new int[] {n * 7 * 7, 64, 32 * 16}, new int[] {n * 14 * 14, 32, 16}));
  }

  /**
   * Forward products X[m, k]·W[k, n] of layers in order, then backward from the last: Xᵀ·dY for
   * each layer's weights and, but for the first layer (whose input is the data), dY·Wᵀ for its input.
   */
  private static List<Product> withBackward(List<int[]> layers) {
    List<Product> products = new ArrayList<>();
    for (int[] layer : layers) {
      products.add(new Product(layer[0], layer[1], layer[2], false, false));
    }
    for (int i = layers.size() - 1; i >= 0; i--) {
      int[] layer = layers.get(i);
      products.add(new Product(layer[1], layer[0], layer[2], true, false));
      if (i > 0) {
        products.add(new Product(layer[0], layer[2], layer[1], false, true));
      }
    }
    return products;
  }

  private static void report(String model, List<Product> products, int steps) {
    long flops = products.stream().mapToLong(Product::flops).sum();
    System.out.printf(Locale.ROOT, "%s: %d products, %.1f MFLOP a step%n", model, products.size(), flops / 1e6);
    for (Operands operands : Operands.values()) {
      double millis = medianStepMillis(products, steps, operands);
      System.out.printf(Locale.ROOT, "  %-18s %.3f ms a step (%.1f GFLOP/s)%n", operands, millis, flops / millis / 1e6);
    }
  }

  /** The median over 5 rounds of the mean time of one step's products, in milliseconds. */
  private static double medianStepMillis(List<Product> products, int steps, Operands operands) {
    Random random = new Random(1);
    List<float[][]> arrays = new ArrayList<>();
    List<FloatPointer[]> pointers = new ArrayList<>();
    for (Product p : products) {
      float[][] abc = {filled(p.m * p.k, random), filled(p.k * p.n, random), new float[p.m * p.n]};
      arrays.add(abc);
      pointers.add(new FloatPointer[] {new FloatPointer(abc[0]), new FloatPointer(abc[1]), new FloatPointer(abc[2])});
    }
    double[] rounds = new double[5];
    for (int round = 0; round < rounds.length; round++) {
      for (int s = 0; s < 10; s++) {
        step(products, arrays, pointers, operands);
      }
      long start = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        step(products, arrays, pointers, operands);
      }
      rounds[round] = (System.nanoTime() - start) / 1e6 / steps;
    }
    pointers.forEach(abc -> Arrays.stream(abc).forEach(FloatPointer::close));
    Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }

  private static void step(List<Product> products, List<float[][]> arrays, List<FloatPointer[]> pointers,
      Operands operands) {
    for (int i = 0; i < products.size(); i++) {
      Product p = products.get(i);
      int ta = p.transposeA ? CblasTrans : CblasNoTrans;
      int tb = p.transposeB ? CblasTrans : CblasNoTrans;
      int lda = p.transposeA ? p.m : p.k;
      int ldb = p.transposeB ? p.k : p.n;
      float[][] abc = arrays.get(i);
      switch (operands) {
        case NATIVE_MEMORY -> {
          FloatPointer[] ptrs = pointers.get(i);
          cblas_sgemm(CblasRowMajor, ta, tb, p.m, p.n, p.k, 1f, ptrs[0], lda, ptrs[1], ldb, 0f, ptrs[2], p.n);
        }
        case JAVA_ARRAYS_COPIED -> cblas_sgemm(CblasRowMajor, ta, tb, p.m, p.n, p.k, 1f, abc[0], lda, abc[1], ldb, 0f,
            abc[2], p.n);
        // Column-major BLAS: C = op(A) op(B) row-major is Cᵀ = op(B)ᵀ op(A)ᵀ column-major.
        case JAVA_ARRAYS_PINNED -> pinned.sgemm(p.transposeB ? "T" : "N", p.transposeA ? "T" : "N", p.n, p.m, p.k, 1f,
            abc[1], ldb, abc[0], lda, 0f, abc[2], p.n);
      }
    }
  }

  private static float[] filled(int size, Random random) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
