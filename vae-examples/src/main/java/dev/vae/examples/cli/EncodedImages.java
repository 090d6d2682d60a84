package dev.vae.examples.cli;

import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.DataSet;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import java.util.Arrays;

/**
 * The mean and the variance of q(z|x) of each of the first rows of a data set, one row of d each,
 * encoded in batches without gradients.
 */
record EncodedImages(double[][] means, double[][] variances) {
  private static final int BATCH = 500;

  static EncodedImages of(Vae vae, DataSet data, int count) {
    Engine engine = vae.engine();
    int m = data.features();
    int d = vae.latentDimension();
    double[][] means = new double[count][];
    double[][] variances = new double[count][];
    try (Engine.NoGrad noGrad = engine.noGrad()) {
      for (int start = 0; start < count; start += BATCH) {
        int rows = Math.min(BATCH, count - start);
        float[] batch = new float[rows * m];
        int[] idx = new int[rows];
        int from = start;
        Arrays.setAll(idx, i -> from + i);
        data.copyRows(idx, batch);
        try (MemoryScope scope = engine.scope()) {
          Tensor x = engine.fromHost(batch, Shape.of(rows, m)).cast(vae.dtype());
          DiagonalGaussianPosterior q = vae.encode(x).base();
          double[] mu = q.mean().toDoubles();
          double[] variance = q.logVariance().exp().toDoubles();
          for (int i = 0; i < rows; i++) {
            means[start + i] = Arrays.copyOfRange(mu, i * d, (i + 1) * d);
            variances[start + i] = Arrays.copyOfRange(variance, i * d, (i + 1) * d);
          }
        }
      }
    }
    return new EncodedImages(means, variances);
  }

  /** log q(z|x_i) of the point z under image i's diagonal Gaussian posterior. */
  double logDensity(int i, double[] z) {
    double log = 0;
    for (int j = 0; j < z.length; j++) {
      double r = z[j] - means[i][j];
      log -= 0.5 * (Math.log(2 * Math.PI * variances[i][j]) + r * r / variances[i][j]);
    }
    return log;
  }
}
