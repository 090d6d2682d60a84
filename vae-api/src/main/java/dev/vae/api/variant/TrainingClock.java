package dev.vae.api.variant;

/**
 * Where training stands when an objective is computed: optimizer steps taken so far and the steps
 * the whole run will take (0 outside training, e.g. when evaluating). Schedules are counted in steps.
 */
public record TrainingClock(long step, long totalSteps) {
  public TrainingClock {
    if (step < 0 || totalSteps < 0) {
      throw new IllegalArgumentException("step and totalSteps must be >= 0, got " + step + " and " + totalSteps);
    }
  }

  /** The clock outside training: step 0 of 0, where every schedule is at its end value. */
  public static TrainingClock evaluation() {
    return new TrainingClock(0, 0);
  }

  /** True outside training: schedules then give their final value. */
  public boolean isEvaluation() {
    return totalSteps == 0;
  }
}
