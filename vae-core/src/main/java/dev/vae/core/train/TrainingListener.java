package dev.vae.core.train;

/**
 * Hears what the trainer does, for progress bars, logs and plots. Every method has an empty
 * default, so a listener implements only what it shows. Epochs are numbered from 1, as the
 * command line and the metrics file number them.
 */
public interface TrainingListener {
  /** Before the first batch of epoch {@code epoch} (from 1) of {@code batches} batches. */
  default void epochStarted(int epoch, int batches) {}

  /** After each step, with the batch's loss (the objective minimised, per example). */
  default void batchFinished(int epoch, int batch, long step, double loss) {}

  default void epochFinished(EpochMetrics metrics) {}

  /** Something the user should know (a skipped batch, early stopping, a suspicious setting). */
  default void warning(String message) {}
}
