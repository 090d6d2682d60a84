package dev.vae.core.data;

import dev.vae.api.Rng;

/**
 * Synthetic data sets whose generating process is known, for tests and examples that must run
 * without the network. Each draws from the explicit {@link Rng} it is given, so a seed fixes the
 * data.
 */
public final class SyntheticData {
  private SyntheticData() {}

  /**
   * The 2-D ring of Doersch's VAE tutorial (2016, fig. 2): x = z/10 + z/|z| with z ~ N(0, I₂),
   * points scattered about the unit circle. |x| = 1 + |z|/10, so E|x| = 1 + √(π/2)/10; each
   * coordinate has mean 0 and variance 0.51 + √(π/2)/10, and the two are uncorrelated.
   */
  public static DataSet ring(int n, Rng rng) {
    requireCount(n);
    double[] z = new double[Math.multiplyExact(2, n)];
    new Draws(rng).normals(z);
    float[] x = new float[2 * n];
    for (int i = 0; i < n; i++) {
      double a = z[2 * i];
      double b = z[2 * i + 1];
      double r = Math.hypot(a, b);
      x[2 * i] = (float) (a / 10 + a / r);
      x[2 * i + 1] = (float) (b / 10 + b / r);
    }
    return DataSet.wrap("ring", x, 2);
  }

  /**
   * A mixture of isotropic Gaussians: each example picks component k with probability
   * weights[k], then x ~ N(means[k], stds[k]² I). Labels are the components.
   *
   * @param weights non-negative, not all zero; normalised here
   */
  public static Mixture gaussianMixture(
      int n, double[][] means, double[] stds, double[] weights, Rng rng) {
    requireCount(n);
    int k = means.length;
    if (k == 0 || stds.length != k || weights.length != k) {
      throw new IllegalArgumentException(
          "need the same positive number of means, stds and weights, got " + k + ", " + stds.length
              + ", " + weights.length);
    }
    int dim = means[0].length;
    double total = 0;
    for (int c = 0; c < k; c++) {
      if (means[c].length != dim || dim == 0) {
        throw new IllegalArgumentException("mean " + c + " has " + means[c].length + " entries, mean 0 has " + dim);
      }
      if (!(stds[c] >= 0) || Double.isInfinite(stds[c])) {
        throw new IllegalArgumentException("std " + c + " is " + stds[c] + "; stds must be finite and >= 0");
      }
      if (!(weights[c] >= 0) || Double.isInfinite(weights[c])) {
        throw new IllegalArgumentException("weight " + c + " is " + weights[c] + "; weights must be finite and >= 0");
      }
      total += weights[c];
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("mixture weights sum to " + total);
    }
    double[] normalised = new double[k];
    for (int c = 0; c < k; c++) {
      normalised[c] = weights[c] / total;
    }
    Draws draws = new Draws(rng);
    float[] x = new float[Math.multiplyExact(n, dim)];
    int[] labels = new int[n];
    double[] eps = new double[dim];
    for (int i = 0; i < n; i++) {
      double u = draws.uniform();
      int c = 0;
      double cumulative = normalised[0];
      while (u >= cumulative && c < k - 1) {
        c++;
        cumulative += normalised[c];
      }
      while (normalised[c] == 0) {
        c--;
      }
      labels[i] = c;
      draws.normals(eps);
      for (int j = 0; j < dim; j++) {
        x[i * dim + j] = (float) (means[c][j] + stds[c] * eps[j]);
      }
    }
    DataSet data = DataSet.wrap("gaussian-mixture", x, dim).withLabelsUnchecked(labels);
    return new Mixture(data, means, stds, normalised);
  }

  /** A mixture with equal weights. */
  public static Mixture gaussianMixture(int n, double[][] means, double[] stds, Rng rng) {
    double[] weights = new double[means.length];
    java.util.Arrays.fill(weights, 1.0);
    return gaussianMixture(n, means, stds, weights, rng);
  }

  /**
   * An equally weighted mixture of {@code components} Gaussians in {@code dim} dimensions whose
   * means are drawn from N(0, spread² I), each with standard deviation std.
   */
  public static Mixture randomGaussianMixture(
      int n, int components, int dim, double spread, double std, Rng rng) {
    if (components <= 0 || dim <= 0) {
      throw new IllegalArgumentException(
          "need positive components and dimension, got " + components + " and " + dim);
    }
    Draws draws = new Draws(rng);
    double[][] means = new double[components][dim];
    for (double[] mean : means) {
      draws.normals(mean);
      for (int j = 0; j < dim; j++) {
        mean[j] *= spread;
      }
    }
    double[] stds = new double[components];
    java.util.Arrays.fill(stds, std);
    return gaussianMixture(n, means, stds, rng);
  }

  /**
   * n examples from a random probabilistic PCA model (see {@link PpcaModel#random}) and the model.
   */
  public static PpcaData ppca(int n, int dataDim, int latentDim, double sigma, Rng rng) {
    requireCount(n);
    PpcaModel model = PpcaModel.random(dataDim, latentDim, sigma, rng);
    return new PpcaData(model.sample(n, rng), model);
  }

  /**
   * Gene-expression-like counts: each cell c has a latent z_c ~ N(0, I_d) and a size factor
   * s_c = exp(0.3 ξ_c), ξ_c ~ N(0, 1); each gene g a log baseline b_g ~ N(1, 1) and loadings
   * W_g ~ N(0, (0.8² / d) I). The count of gene g in cell c has mean μ_cg = s_c exp(b_g + W_g · z_c)
   * and is negative binomial with that mean and the given dispersion r (variance μ + μ²/r), drawn
   * as Poisson(λ) with λ ~ Gamma(r, μ / r).
   *
   * @param cells examples
   * @param genes features
   * @param latentDim d, positive
   * @param dispersion r, positive (large r approaches Poisson)
   */
  public static CountData negativeBinomialCounts(
      int cells, int genes, int latentDim, double dispersion, Rng rng) {
    requireCount(cells);
    if (genes <= 0 || latentDim <= 0) {
      throw new IllegalArgumentException(
          "need positive genes and latent dimension, got " + genes + " and " + latentDim);
    }
    if (!(dispersion > 0) || Double.isInfinite(dispersion)) {
      throw new IllegalArgumentException("dispersion must be positive and finite, got " + dispersion);
    }
    Draws draws = new Draws(rng);
    double loadingStd = 0.8 / Math.sqrt(latentDim);
    double[][] loadings = new double[genes][latentDim];
    double[] logBaseline = new double[genes];
    for (int g = 0; g < genes; g++) {
      draws.normals(loadings[g]);
      for (int k = 0; k < latentDim; k++) {
        loadings[g][k] *= loadingStd;
      }
      logBaseline[g] = 1 + draws.normal();
    }
    double[][] latent = new double[cells][latentDim];
    double[] sizeFactors = new double[cells];
    float[] counts = new float[Math.multiplyExact(cells, genes)];
    for (int c = 0; c < cells; c++) {
      draws.normals(latent[c]);
      sizeFactors[c] = Math.exp(0.3 * draws.normal());
      for (int g = 0; g < genes; g++) {
        double mean = CountData.mean(sizeFactors[c], logBaseline[g], loadings[g], latent[c]);
        long k = (long) draws.negativeBinomial(mean, dispersion);
        if (k > (1L << 24)) {
          throw new IllegalStateException("count " + k + " is too large to store exactly as float32");
        }
        counts[c * genes + g] = k;
      }
    }
    DataSet data = DataSet.wrap("nb-counts", counts, genes);
    return new CountData(data, latent, loadings, logBaseline, sizeFactors, dispersion);
  }

  private static void requireCount(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("number of examples must be >= 0, got " + n);
    }
  }

  /**
   * A Gaussian mixture sample and its parameters.
   *
   * @param data the examples, labelled with their components
   * @param means component means
   * @param stds component standard deviations
   * @param weights component probabilities, summing to 1
   */
  public record Mixture(DataSet data, double[][] means, double[] stds, double[] weights) {
    /** Copies the arrays. */
    public Mixture {
      means = deepCopy(means);
      stds = stds.clone();
      weights = weights.clone();
    }

    /** A copy of means. */
    @Override
    public double[][] means() {
      return deepCopy(means);
    }

    /** A copy of stds. */
    @Override
    public double[] stds() {
      return stds.clone();
    }

    /** A copy of weights. */
    @Override
    public double[] weights() {
      return weights.clone();
    }
  }

  /**
   * Data drawn from a probabilistic PCA model, and the model.
   *
   * @param data the examples
   * @param model W, μ and σ of the generating process
   */
  public record PpcaData(DataSet data, PpcaModel model) {}

  static double[][] deepCopy(double[][] a) {
    double[][] copy = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      copy[i] = a[i].clone();
    }
    return copy;
  }
}
