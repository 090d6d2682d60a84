package dev.vae.core.eval;

import dev.vae.api.DType;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Parameter;
import java.util.List;
import java.util.Random;

/**
 * A VAE of 4 values and 2 latent dimensions whose decoder is linear, x = A z + b + ε, ε ~ N(0, I),
 * z ~ N(0, I), set to two nearly parallel directions: its exact log p(x) and the best diagonal
 * Gaussian posterior's gap, ½ (Σ_j log Λ_jj − log det Λ) with Λ = I + AᵀA, are known in closed form
 * (0.71 nats here), for checks of estimates against them.
 */
public final class LinearGaussianDecoder {
  /** Values per example. */
  public static final int M = 4;
  /** Latent dimensions. */
  public static final int D = 2;
  private static final double[] WEIGHT = {2.0, 1.0, 0.5, 1.5, 1.8, 0.9, 0.6, 1.4}; // [D, M]: z · weight + bias

  private final double[][] a = new double[M][D];
  private final double[] bias;
  private final double[][] lambda = new double[D][D];
  private final double det;

  /** Sets the decoder of {@code vae} (an MLP without hidden layers over 4 values and 2 latent dimensions). */
  public LinearGaussianDecoder(Engine engine, Vae vae) {
    List<Parameter> decoder = vae.decoder().parameters();
    decoder.get(0).replace(engine.backend().fromHost(WEIGHT, decoder.get(0).shape(), DType.FLOAT64));
    bias = decoder.get(1).toDoubles();
    for (int i = 0; i < M; i++) {
      for (int j = 0; j < D; j++) {
        a[i][j] = WEIGHT[j * M + i];
      }
    }
    for (int p = 0; p < D; p++) {
      for (int q = 0; q < D; q++) {
        double sum = p == q ? 1 : 0;
        for (int i = 0; i < M; i++) {
          sum += a[i][p] * a[i][q];
        }
        lambda[p][q] = sum;
      }
    }
    det = lambda[0][0] * lambda[1][1] - lambda[0][1] * lambda[1][0];
  }

  /** n examples of values 2·N(0, 1), row-major. */
  public static float[] data(int n, long seed) {
    Random random = new Random(seed);
    float[] data = new float[n * M];
    for (int k = 0; k < data.length; k++) {
      data[k] = (float) (2 * random.nextGaussian());
    }
    return data;
  }

  /** The mean exact log N(x; b, AAᵀ + I) over the n examples, by the determinant lemma and Woodbury. */
  public double logLikelihood(float[] data, int n) {
    double[][] inverse = {{lambda[1][1] / det, -lambda[0][1] / det}, {-lambda[1][0] / det, lambda[0][0] / det}};
    double total = 0;
    for (int e = 0; e < n; e++) {
      double rr = 0;
      double[] atr = new double[D];
      for (int i = 0; i < M; i++) {
        double r = data[e * M + i] - bias[i];
        rr += r * r;
        for (int j = 0; j < D; j++) {
          atr[j] += a[i][j] * r;
        }
      }
      double quadratic = rr;
      for (int p = 0; p < D; p++) {
        for (int q = 0; q < D; q++) {
          quadratic -= atr[p] * inverse[p][q] * atr[q];
        }
      }
      total += -0.5 * (M * Math.log(2 * Math.PI) + Math.log(det) + quadratic);
    }
    return total / n;
  }

  /** log p(x) − the best diagonal Gaussian posterior's ELBO, the same for every x. */
  public double bestDiagonalGap() {
    return 0.5 * (Math.log(lambda[0][0]) + Math.log(lambda[1][1]) - Math.log(det));
  }
}
