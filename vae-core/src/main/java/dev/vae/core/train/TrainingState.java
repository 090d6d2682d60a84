package dev.vae.core.train;

/**
 * The trainer's own progress, saved in checkpoints next to parameters and optimizer state: the
 * next epoch to run, optimizer steps taken, the learning-rate scale left by skipped batches, early
 * stopping's bookkeeping, and how many epochs in a row the posterior has collapsed.
 */
public final class TrainingState {
  int nextEpoch;
  long step;
  double learningRateScale = 1.0;
  double bestValidationElbo = Double.NEGATIVE_INFINITY;
  int epochsWithoutImprovement;
  int epochsCollapsed;

  private TrainingState() {}

  public static TrainingState fresh() {
    return new TrainingState();
  }

  /** A state restored from saved values. */
  public static TrainingState restored(int nextEpoch, long step, double learningRateScale, double bestValidationElbo,
      int epochsWithoutImprovement, int epochsCollapsed) {
    TrainingState s = new TrainingState();
    s.nextEpoch = nextEpoch;
    s.step = step;
    s.learningRateScale = learningRateScale;
    s.bestValidationElbo = bestValidationElbo;
    s.epochsWithoutImprovement = epochsWithoutImprovement;
    s.epochsCollapsed = epochsCollapsed;
    return s;
  }

  public int nextEpoch() {
    return nextEpoch;
  }

  public long step() {
    return step;
  }

  public double learningRateScale() {
    return learningRateScale;
  }

  public double bestValidationElbo() {
    return bestValidationElbo;
  }

  public int epochsWithoutImprovement() {
    return epochsWithoutImprovement;
  }

  public int epochsCollapsed() {
    return epochsCollapsed;
  }
}
