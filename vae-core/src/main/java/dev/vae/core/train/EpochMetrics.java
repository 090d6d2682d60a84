package dev.vae.core.train;

import dev.vae.core.eval.LatentDiagnostics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch measured: the averages over its batches of every term the model reported (nats
 * per example, weighted by the batches' examples; vectors element by element), the measures taken
 * after it (a validation set's terms, accuracies), the latent diagnostics, the learning rate, the
 * time and the skipped batches.
 *
 * @param epoch the epoch's number, counted from 1 as the command line and the metrics file count
 * @param step optimizer steps taken by its end
 * @param train the terms' epoch averages by name, each an array (one value for a scalar term)
 * @param measured the measures after the epoch by name
 * @param diagnostics the latent diagnostics after the epoch ({@link LatentDiagnostics#none} if none)
 * @param learningRate the rate of the epoch's last step
 * @param seconds wall time, measures included
 * @param examplesPerSecond training examples over seconds
 * @param skippedBatches batches skipped for a non-finite value
 */
public record EpochMetrics(int epoch, long step, Map<String, double[]> train, Map<String, Double> measured,
    LatentDiagnostics diagnostics, double learningRate, double seconds, double examplesPerSecond,
    int skippedBatches) {

  public EpochMetrics {
    train = Collections.unmodifiableMap(new LinkedHashMap<>(train));
    measured = Collections.unmodifiableMap(new LinkedHashMap<>(measured));
  }

  /** The epoch average of scalar term {@code name}, NaN if it was not reported. */
  public double train(String name) {
    double[] values = train.get(name);
    return values == null || values.length != 1 ? Double.NaN : values[0];
  }

  /** Measure {@code name} after the epoch, NaN if it was not taken. */
  public double measured(String name) {
    return measured.getOrDefault(name, Double.NaN);
  }
}
