package dev.vae.core.data;

import dev.vae.api.Rng;

/**
 * Probabilistic PCA (Tipping and Bishop 1999): x = W z + μ + σ ε with z ~ N(0, I_d) and
 * ε ~ N(0, I_m), so x ~ N(μ, C) with C = W Wᵀ + σ² I. It is the linear Gaussian VAE's model, and
 * its maximum likelihood is known in closed form, which makes it the yardstick a linear VAE is
 * checked against.
 *
 * @param w the m × d loading matrix, row-major (w[i][k] is data dimension i, latent k)
 * @param mu the data mean, length m
 * @param sigma the noise standard deviation, positive
 */
public record PpcaModel(double[][] w, double[] mu, double sigma) {
  private static final double LN_2PI = Math.log(2 * Math.PI);

  /** Checks the shapes and copies the arrays. */
  public PpcaModel {
    int m = mu.length;
    if (m == 0) {
      throw new IllegalArgumentException("pPCA needs at least one data dimension");
    }
    if (w.length != m) {
      throw new IllegalArgumentException("W has " + w.length + " rows, mu has " + m + " entries");
    }
    int d = w[0].length;
    if (d >= m) {
      throw new IllegalArgumentException("latent dimension " + d + " must be below the data dimension " + m);
    }
    double[][] copy = new double[m][];
    for (int i = 0; i < m; i++) {
      if (w[i].length != d) {
        throw new IllegalArgumentException("row " + i + " of W has " + w[i].length + " entries, row 0 has " + d);
      }
      copy[i] = w[i].clone();
    }
    w = copy;
    mu = mu.clone();
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("pPCA noise sigma must be positive and finite, got " + sigma);
    }
  }

  /**
   * A model with W and μ entries drawn from N(0, 1) and the given noise.
   *
   * @param dataDim m
   * @param latentDim d, in [0, m)
   */
  public static PpcaModel random(int dataDim, int latentDim, double sigma, Rng rng) {
    if (dataDim <= 0 || latentDim < 0 || latentDim >= dataDim) {
      throw new IllegalArgumentException(
          "need 0 <= latent dimension < data dimension, got " + latentDim + " and " + dataDim);
    }
    Draws draws = new Draws(rng);
    double[][] w = new double[dataDim][latentDim];
    for (double[] row : w) {
      draws.normals(row);
    }
    double[] mu = new double[dataDim];
    draws.normals(mu);
    return new PpcaModel(w, mu, sigma);
  }

  /** A copy of w. */
  @Override
  public double[][] w() {
    double[][] copy = new double[w.length][];
    for (int i = 0; i < w.length; i++) {
      copy[i] = w[i].clone();
    }
    return copy;
  }

  /** A copy of mu. */
  @Override
  public double[] mu() {
    return mu.clone();
  }

  /** m, the data dimension. */
  public int dataDim() {
    return mu.length;
  }

  /** d, the latent dimension. */
  public int latentDim() {
    return w[0].length;
  }

  /** The marginal covariance C = W Wᵀ + σ² I. */
  public double[][] covariance() {
    int m = dataDim();
    int d = latentDim();
    double[][] c = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        double sum = i == j ? sigma * sigma : 0;
        for (int k = 0; k < d; k++) {
          sum += w[i][k] * w[j][k];
        }
        c[i][j] = sum;
      }
    }
    return c;
  }

  /** n examples x = W z + μ + σ ε, named "ppca"; each takes d + m normals from {@code rng}. */
  public DataSet sample(int n, Rng rng) {
    int m = dataDim();
    int d = latentDim();
    Draws draws = new Draws(rng);
    float[] x = new float[Math.multiplyExact(n, m)];
    double[] noise = new double[d + m];
    for (int s = 0; s < n; s++) {
      draws.normals(noise);
      for (int i = 0; i < m; i++) {
        double v = mu[i] + sigma * noise[d + i];
        for (int k = 0; k < d; k++) {
          v += w[i][k] * noise[k];
        }
        x[s * m + i] = (float) v;
      }
    }
    return DataSet.wrap("ppca", x, m);
  }

  /**
   * The average log-density (nats per example) of the data under this model, (1/n) Σ log N(x; μ,
   * C), each term computed with a Cholesky factor of C.
   */
  public double averageLogLikelihood(DataSet data) {
    int m = dataDim();
    if (data.features() != m) {
      throw new IllegalArgumentException(
          "model of dimension " + m + " evaluated on '" + data.name() + "' with " + data.features() + " features");
    }
    double[][] l = cholesky(covariance());
    double logDet = 0;
    for (int i = 0; i < m; i++) {
      logDet += 2 * Math.log(l[i][i]);
    }
    float[] v = data.values();
    double[] y = new double[m];
    double quadratic = 0;
    for (int s = 0; s < data.size(); s++) {
      for (int i = 0; i < m; i++) {
        double r = v[s * m + i] - mu[i];
        for (int k = 0; k < i; k++) {
          r -= l[i][k] * y[k];
        }
        y[i] = r / l[i][i];
      }
      for (int i = 0; i < m; i++) {
        quadratic += y[i] * y[i];
      }
    }
    return -0.5 * m * LN_2PI - 0.5 * logDet - 0.5 * quadratic / data.size();
  }

  /**
   * The maximum-likelihood pPCA of a data set: μ the sample mean, S the sample covariance (divisor
   * n) with eigenvalues λ₁ ≥ … ≥ λ_m and unit eigenvectors U, σ² the mean of the m − d discarded
   * eigenvalues, and W = U_d (Λ_d − σ² I)^{1/2} (Tipping and Bishop 1999, eq. 7-8, with R = I).
   *
   * @throws IllegalArgumentException if the discarded eigenvalues are all zero (σ² would be 0)
   */
  public static PpcaModel maximumLikelihood(DataSet data, int latentDim) {
    Moments mo = moments(data, latentDim);
    SymmetricEigen.Result eig = SymmetricEigen.decompose(mo.covariance);
    int m = data.features();
    double sigma2 = discardedMean(eig.values(), latentDim, data);
    double[][] w = new double[m][latentDim];
    for (int k = 0; k < latentDim; k++) {
      double scale = Math.sqrt(Math.max(eig.values()[k] - sigma2, 0));
      for (int i = 0; i < m; i++) {
        w[i][k] = eig.vectors()[i][k] * scale;
      }
    }
    return new PpcaModel(w, mo.mean, Math.sqrt(sigma2));
  }

  /**
   * The largest average log-likelihood (nats per example) any pPCA with latent dimension d reaches
   * on the data, from the eigenvalues of the sample covariance alone: at the maximum, C shares S's
   * eigenvectors, tr(C⁻¹ S) = m, and so
   *
   * <pre>
   *   L = −(m/2) ln 2π − ½ (Σ_{i≤d} ln λ_i + (m − d) ln σ²) − m/2,   σ² = mean of λ_{d+1..m}.
   * </pre>
   */
  public static double maximumAverageLogLikelihood(DataSet data, int latentDim) {
    Moments mo = moments(data, latentDim);
    double[] lambda = SymmetricEigen.values(mo.covariance);
    int m = data.features();
    double sigma2 = discardedMean(lambda, latentDim, data);
    double logDet = (m - latentDim) * Math.log(sigma2);
    for (int i = 0; i < latentDim; i++) {
      logDet += Math.log(lambda[i]);
    }
    return -0.5 * m * LN_2PI - 0.5 * logDet - 0.5 * m;
  }

  private record Moments(double[] mean, double[][] covariance) {}

  private static Moments moments(DataSet data, int latentDim) {
    int m = data.features();
    if (latentDim < 0 || latentDim >= m) {
      throw new IllegalArgumentException(
          "need 0 <= latent dimension < data dimension, got " + latentDim + " and " + m);
    }
    if (data.size() < 2) {
      throw new IllegalArgumentException("'" + data.name() + "' has " + data.size() + " examples; pPCA needs 2 or more");
    }
    double[] mean = data.featureMeans();
    double[][] s = new double[m][m];
    float[] v = data.values();
    double[] centred = new double[m];
    for (int n = 0; n < data.size(); n++) {
      for (int i = 0; i < m; i++) {
        centred[i] = v[n * m + i] - mean[i];
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j <= i; j++) {
          s[i][j] += centred[i] * centred[j];
        }
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        s[i][j] /= data.size();
        s[j][i] = s[i][j];
      }
    }
    return new Moments(mean, s);
  }

  private static double discardedMean(double[] lambda, int latentDim, DataSet data) {
    double sum = 0;
    for (int i = latentDim; i < lambda.length; i++) {
      sum += lambda[i];
    }
    double sigma2 = sum / (lambda.length - latentDim);
    if (!(sigma2 > 0)) {
      throw new IllegalArgumentException(
          "'" + data.name() + "' has no variance outside its first " + latentDim
              + " principal directions, so the pPCA noise variance would be " + sigma2);
    }
    return sigma2;
  }

  private static double[][] cholesky(double[][] c) {
    int m = c.length;
    double[][] l = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = c[i][j];
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (!(sum > 0)) {
            throw new IllegalStateException("covariance is not positive definite at row " + i);
          }
          l[i][i] = Math.sqrt(sum);
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    return l;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PpcaModel p && java.util.Arrays.deepEquals(w, p.w)
        && java.util.Arrays.equals(mu, p.mu) && sigma == p.sigma;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(java.util.Arrays.deepHashCode(w), java.util.Arrays.hashCode(mu), sigma);
  }

  @Override
  public String toString() {
    return "PpcaModel(m=" + dataDim() + ", d=" + latentDim() + ", sigma=" + sigma + ")";
  }
}
