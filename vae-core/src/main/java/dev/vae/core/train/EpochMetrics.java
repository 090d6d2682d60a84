package dev.vae.core.train;

/**
 * What one epoch measured, in nats per example: training averages over the epoch's batches and,
 * when there is a validation set, its ELBO terms after the epoch. NaN where not measured.
 */
public record EpochMetrics(int epoch, long step, double trainElbo, double trainReconstruction, double trainKl,
    double[] trainKlPerDimension, double validationElbo, double validationReconstruction, double validationKl,
    double learningRate, double seconds, double examplesPerSecond, int skippedBatches) {}
