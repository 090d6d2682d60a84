package dev.vae.core.eval;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.model.SamplingMode;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.Posterior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whole-data-set measurements of a trained VAE, computed in batches without gradients: the
 * importance-sampled negative log-likelihood, the ELBO's terms, KL per latent dimension, the latent
 * diagnostics (active units, mutual information), and the squared reconstruction error next to
 * PCA's with the same number of dimensions.
 */
public final class Evaluation {
  private Evaluation() {}

  /** The numbers {@link #run} reports, per example averages in nats (and squared error). */
  public record Report(int examples, double negativeLogLikelihood, int importanceSamples, double negativeElbo,
      double reconstructionLogLikelihood, double kl, double[] klPerDimension, LatentDiagnostics latent,
      double reconstructionSquaredError, double pcaSquaredError) {

    /**
     * log p(x) − ELBO, the bound's gap, which is E_x KL(q(z|x) ‖ p(z|x)): how far the encoder's
     * posterior is from the true one (NaN without the importance-sampled estimate).
     */
    public double posteriorGap() {
      return importanceSamples > 0 ? negativeElbo - negativeLogLikelihood : Double.NaN;
    }

    /**
     * KL(q(z) ‖ p(z)) of the aggregate posterior q(z) = E_x q(z|x), as the mean KL minus I(x; z)
     * (their difference by the decomposition of the KL term): how much of the prior the codes of the
     * data leave empty, the holes that ANCESTRAL samples fall into.
     */
    public double aggregatePosteriorKl() {
      return kl - latent.mutualInformation();
    }

    /** Whether the model has stochastic layers above z, whose KLs follow z's in {@link #klPerDimension}. */
    public boolean hasLayersAbove() {
      return klPerDimension.length > latent.dimension();
    }

    /** A few readable lines. */
    public String summary() {
      String gap = importanceSamples > 0 ? String.format(java.util.Locale.ROOT, "%ngap log p(x) - ELBO %.3f nats: "
          + "E KL(q(z|x) || p(z|x)), how far q(z|x) is from the true posterior", posteriorGap()) : "";
      String caveat = hasLayersAbove()
          ? " (of every layer's latents; an upper bound, as I(x; z) counts z's alone)"
          : latent.mutualInformation() > 0.95 * Math.log(latent.examples())
              ? " (an upper bound: I(x; z) is near its ceiling log n, so the true value may be lower)" : "";
      return String.format(java.util.Locale.ROOT,
          "examples %d%n-log p(x) %.3f nats (k = %d)%n-ELBO %.3f nats (reconstruction %.3f, KL %.3f)%s%n%s%n"
              + "KL(q(z) || p(z)) %.3f nats: KL - I(x; z), how far the aggregate posterior is from the prior%s%n"
              + "squared reconstruction error per example: VAE (mean decoder) %.3f, PCA (%d components) %.3f",
          examples, negativeLogLikelihood, importanceSamples, negativeElbo, reconstructionLogLikelihood, kl, gap,
          latent.summary(), aggregatePosteriorKl(), caveat, reconstructionSquaredError, latent.dimension(),
          pcaSquaredError);
    }
  }

  /**
   * Evaluates on n rows of {@code data} (row-major [n, m]); {@code pca} is fitted by the caller on
   * training data in the representation of {@code data} (binarised alike, or grey alike) with as
   * many components as the VAE has latent dimensions, or null to skip it.
   * {@code k} importance samples (0 skips the estimate), in chunks of {@code chunk}.
   */
  public static Report run(Vae vae, float[] data, int n, int batchSize, int k, int chunk, Pca pca, Rng rng) {
    int m = vae.dataDimension();
    int d = vae.latentDimension();
    if (data.length != (long) n * m) {
      throw new IllegalArgumentException("evaluation data has " + data.length + " values, expected n·m = " + n + "·" + m);
    }
    double[] klPerDim = new double[Arrays.stream(vae.layerDimensions()).sum()];
    LatentDiagnostics.Posteriors posteriors = new LatentDiagnostics.Posteriors(n, d);
    List<BatchSums> batches = new ArrayList<>();
    try (Engine.NoGrad noGrad = vae.engine().noGrad()) {
      RowBatches.forEach(vae, data, n, batchSize, (start, x) -> {
        Posterior q = vae.encode(x);
        ObjectiveTerms terms = vae.terms(x, q, rng, 1);
        double[] perDim = terms.klPerDimension().map(t -> t.sum(false, 0).toDoubles()).orElse(null);
        for (int j = 0; j < klPerDim.length; j++) {
          klPerDim[j] += perDim == null ? Double.NaN : perDim[j];
        }
        posteriors.add(start, q.base(), rng);
        Tensor reconstruction = vae.generate(q.pointEstimate(), SamplingMode.MEAN, rng);
        batches.add(new BatchSums(terms.reconstruction().sum().item(), terms.kl().sum().item(),
            reconstruction.reshape(x.shape()).sub(x).square().sum().item(),
            k == 0 ? new double[0] : ImportanceSampling.logLikelihood(vae, x, q, k, chunk, rng)));
      });
    }
    for (int j = 0; j < klPerDim.length; j++) {
      klPerDim[j] /= n;
    }
    double recon = 0;
    double kl = 0;
    double squaredError = 0;
    double nll = 0;
    for (BatchSums batch : batches) {
      recon += batch.reconstruction();
      kl += batch.kl();
      squaredError += batch.squaredError();
      for (double v : batch.logLikelihoods()) {
        nll -= v;
      }
    }
    double pcaError = pca == null ? Double.NaN : pcaSquaredError(pca, data, n, m);
    return new Report(n, k > 0 ? nll / n : Double.NaN, k, -(recon - kl) / n, recon / n, kl / n, klPerDim,
        posteriors.diagnostics(), squaredError / n, pcaError);
  }

  /**
   * One batch's sums over its examples of the reconstruction term, the KL and the squared error,
   * and each example's importance-sampled log p(x) (none without the estimate).
   */
  private record BatchSums(double reconstruction, double kl, double squaredError, double[] logLikelihoods) {}

  /** Mean over rows of the squared error of PCA's reconstruction. */
  public static double pcaSquaredError(Pca pca, float[] data, int n, int m) {
    float[] reconstruction = pca.reconstruct(data, n);
    double total = 0;
    for (int i = 0; i < data.length; i++) {
      double e = reconstruction[i] - data[i];
      total += e * e;
    }
    return total / n;
  }
}
