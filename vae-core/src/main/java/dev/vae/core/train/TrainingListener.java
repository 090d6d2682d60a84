package dev.vae.core.train;

/**
 * Hears what the trainer does, for progress bars, logs and plots. Every method has an empty
 * default, so a listener implements only what it shows.
 */
public interface TrainingListener {
  /** Before the first batch of an epoch (0-based) of {@code batches} batches. */
  default void epochStarted(int epoch, int batches) {}

  /** After each batch, with the batch's ELBO and KL (nats per example). */
  default void batchFinished(int epoch, int batch, long step, double elbo, double kl) {}

  default void epochFinished(EpochMetrics metrics) {}

  /** Something the user should know (a skipped batch, early stopping, a suspicious setting). */
  default void warning(String message) {}
}
