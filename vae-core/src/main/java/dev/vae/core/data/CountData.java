package dev.vae.core.data;

/**
 * Negative binomial counts from a low-dimensional latent, and the parameters that made them (see
 * {@link SyntheticData#negativeBinomialCounts}).
 *
 * @param counts cells × genes counts, stored as exact float32 integers
 * @param latent each cell's latent z_c (cells × d)
 * @param loadings each gene's loadings W_g (genes × d)
 * @param logBaseline each gene's log baseline expression b_g
 * @param sizeFactors each cell's size factor s_c
 * @param dispersion the negative binomial dispersion r
 */
public record CountData(
    DataSet counts, double[][] latent, double[][] loadings, double[] logBaseline,
    double[] sizeFactors, double dispersion) {
  /** Copies the arrays. */
  public CountData {
    latent = SyntheticData.deepCopy(latent);
    loadings = SyntheticData.deepCopy(loadings);
    logBaseline = logBaseline.clone();
    sizeFactors = sizeFactors.clone();
  }

  /** A copy of latent. */
  @Override
  public double[][] latent() {
    return SyntheticData.deepCopy(latent);
  }

  /** A copy of loadings. */
  @Override
  public double[][] loadings() {
    return SyntheticData.deepCopy(loadings);
  }

  /** A copy of logBaseline. */
  @Override
  public double[] logBaseline() {
    return logBaseline.clone();
  }

  /** A copy of sizeFactors. */
  @Override
  public double[] sizeFactors() {
    return sizeFactors.clone();
  }

  /** The true mean μ_cg = s_c exp(b_g + W_g · z_c) of one count. */
  public double expectedCount(int cell, int gene) {
    return mean(sizeFactors[cell], logBaseline[gene], loadings[gene], latent[cell]);
  }

  /** The true variance μ + μ²/r of one count. */
  public double countVariance(int cell, int gene) {
    double mu = expectedCount(cell, gene);
    return mu + mu * mu / dispersion;
  }

  static double mean(double sizeFactor, double logBaseline, double[] loading, double[] z) {
    double eta = logBaseline;
    for (int k = 0; k < z.length; k++) {
      eta += loading[k] * z[k];
    }
    return sizeFactor * Math.exp(eta);
  }
}
