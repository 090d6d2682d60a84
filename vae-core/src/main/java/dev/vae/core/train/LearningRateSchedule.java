package dev.vae.core.train;

/**
 * The learning rate as a function of training progress, set on the optimizer before each step.
 * Factories cover the usual shapes; {@link #withWarmup} adds a linear warm-up to any of them.
 */
@FunctionalInterface
public interface LearningRateSchedule {
  /** The rate for a step, given the epoch it falls in (both counted from 0) and the steps per epoch. */
  double rate(long step, int epoch, int stepsPerEpoch);

  static LearningRateSchedule constant(double rate) {
    return (step, epoch, perEpoch) -> rate;
  }

  /** rate · gamma^epoch. */
  static LearningRateSchedule exponential(double rate, double gamma) {
    return (step, epoch, perEpoch) -> rate * Math.pow(gamma, epoch);
  }

  /** Cosine decay from {@code rate} to {@code minRate} over {@code epochs} epochs, by step. */
  static LearningRateSchedule cosine(double rate, double minRate, int epochs) {
    return (step, epoch, perEpoch) -> {
      double progress = Math.min(1.0, step / (double) Math.max(1, (long) epochs * perEpoch));
      return minRate + 0.5 * (rate - minRate) * (1 + Math.cos(Math.PI * progress));
    };
  }

  /** This schedule scaled by (step + 1) / steps for the first {@code steps} steps. */
  default LearningRateSchedule withWarmup(long steps) {
    return (step, epoch, perEpoch) -> rate(step, epoch, perEpoch) * Math.min(1.0, (step + 1) / (double) steps);
  }

  /** Parses "constant", "exponential:GAMMA", "cosine:MIN_RATE", optionally "+warmup:STEPS". */
  static LearningRateSchedule parse(String spec, double rate, int epochs) {
    String[] parts = spec.split("\\+");
    String[] main = parts[0].trim().split(":");
    LearningRateSchedule schedule = switch (main[0]) {
      case "constant" -> constant(rate);
      case "exponential" -> exponential(rate, main.length > 1 ? Double.parseDouble(main[1]) : 0.95);
      case "cosine" -> cosine(rate, main.length > 1 ? Double.parseDouble(main[1]) : 0.0, epochs);
      default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + main[0]
          + "'; use constant, exponential[:gamma] or cosine[:min-rate], optionally +warmup:steps");
    };
    for (int i = 1; i < parts.length; i++) {
      String[] extra = parts[i].trim().split(":");
      if (!extra[0].equals("warmup") || extra.length != 2) {
        throw new IllegalArgumentException("unknown schedule modifier '" + parts[i] + "'; use +warmup:STEPS");
      }
      schedule = schedule.withWarmup(Long.parseLong(extra[1]));
    }
    return schedule;
  }
}
