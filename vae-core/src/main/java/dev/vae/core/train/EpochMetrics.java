package dev.vae.core.train;

import dev.vae.core.eval.LatentDiagnostics;
import java.util.Map;

/**
 * What one epoch measured, in nats per example: training averages over the epoch's batches (the
 * ELBO's terms, the variant's loss and whatever else the variant reports, KL per latent dimension),
 * the latent diagnostics after the epoch and, when there is a validation set, its ELBO terms after
 * the epoch. NaN where not measured.
 */
public record EpochMetrics(int epoch, long step, double trainElbo, double trainReconstruction, double trainKl,
    double[] trainKlPerDimension, double trainLoss, Map<String, Double> variantTerms, LatentDiagnostics diagnostics,
    double validationElbo, double validationReconstruction, double validationKl, double learningRate,
    double seconds, double examplesPerSecond, int skippedBatches) {

  public EpochMetrics {
    variantTerms = Map.copyOf(variantTerms);
  }
}
