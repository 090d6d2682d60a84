package dev.vae.core.train;

/**
 * The trainer's own progress, saved in checkpoints next to parameters and optimizer state: the
 * next epoch to run from 0 (so, the epochs done), optimizer steps taken, the learning-rate scale
 * left by skipped batches, early stopping's bookkeeping (the best value of its measure and the
 * epochs since), and how many epochs in a row the posterior has collapsed.
 */
public final class TrainingState {
  int nextEpoch;
  long step;
  double learningRateScale = 1.0;
  double bestMeasure = Double.NEGATIVE_INFINITY;
  int epochsWithoutImprovement;
  int epochsCollapsed;

  private TrainingState() {}

  public static TrainingState fresh() {
    return new TrainingState();
  }

  /** A state restored from saved values. */
  public static TrainingState restored(int nextEpoch, long step, double learningRateScale, double bestMeasure,
      int epochsWithoutImprovement, int epochsCollapsed) {
    TrainingState s = new TrainingState();
    s.nextEpoch = nextEpoch;
    s.step = step;
    s.learningRateScale = learningRateScale;
    s.bestMeasure = bestMeasure;
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

  public double bestMeasure() {
    return bestMeasure;
  }

  public int epochsWithoutImprovement() {
    return epochsWithoutImprovement;
  }

  public int epochsCollapsed() {
    return epochsCollapsed;
  }
}
