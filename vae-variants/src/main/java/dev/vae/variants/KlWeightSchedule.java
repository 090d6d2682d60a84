package dev.vae.variants;

import dev.vae.api.Options;
import dev.vae.api.variant.TrainingClock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The weight in [0, 1] that multiplies the KL term as training proceeds, counted in optimizer
 * steps: constant 1; a linear warm-up from 0 to 1 over {@code warmup-steps} (Bowman et al. 2016);
 * or cyclical (Fu et al. 2019): the run is cut into {@code cycles} equal cycles, and in each the
 * weight rises linearly from 0 to 1 over the first {@code ratio} of the cycle and stays at 1 for
 * the rest. Outside training every schedule gives 1.
 */
public sealed interface KlWeightSchedule {
  /** The weight at this point of training. */
  double weight(TrainingClock clock);

  /** A warning if the schedule will not play out as configured in a run of {@code totalSteps}. */
  Optional<String> warning(long totalSteps);

  /** Reads {@code schedule=constant|linear|cyclical} and its options. */
  static KlWeightSchedule from(Options options) {
    String name = options.getString("schedule", "constant").toLowerCase(Locale.ROOT);
    return switch (name) {
      case "constant" -> new Constant();
      case "linear" -> new Linear(options.getInt("warmup-steps", 10_000));
      case "cyclical" -> new Cyclical(options.getInt("cycles", 4), options.getDouble("ratio", 0.5));
      default -> throw new IllegalArgumentException("schedule=" + name + " is not one of " + List.of("constant",
          "linear", "cyclical"));
    };
  }

  /** Weight 1 throughout. */
  record Constant() implements KlWeightSchedule {
    @Override
    public double weight(TrainingClock clock) {
      return 1;
    }

    @Override
    public Optional<String> warning(long totalSteps) {
      return Optional.empty();
    }
  }

  /** min(1, step / warmupSteps). */
  record Linear(int warmupSteps) implements KlWeightSchedule {
    public Linear {
      if (warmupSteps < 1) {
        throw new IllegalArgumentException("warmup-steps must be at least 1, got " + warmupSteps);
      }
    }

    @Override
    public double weight(TrainingClock clock) {
      return clock.isEvaluation() ? 1 : Math.min(1.0, (double) clock.step() / warmupSteps);
    }

    @Override
    public Optional<String> warning(long totalSteps) {
      return warmupSteps <= totalSteps ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
          "the KL warm-up of %d steps is longer than the run's %d steps: the KL weight ends at %.3f, not 1; "
              + "lower warmup-steps or train longer", warmupSteps, totalSteps, (double) totalSteps / warmupSteps));
    }
  }

  /** Fu et al. 2019's cyclical annealing: {@code cycles} cycles, rising over the first {@code ratio} of each. */
  record Cyclical(int cycles, double ratio) implements KlWeightSchedule {
    public Cyclical {
      if (cycles < 1) {
        throw new IllegalArgumentException("cycles must be at least 1, got " + cycles);
      }
      if (!(ratio > 0 && ratio <= 1)) {
        throw new IllegalArgumentException("ratio (the rising fraction of a cycle) must be in (0, 1], got " + ratio);
      }
    }

    @Override
    public double weight(TrainingClock clock) {
      if (clock.isEvaluation()) {
        return 1;
      }
      double cycleLength = (double) clock.totalSteps() / cycles;
      double position = (clock.step() % cycleLength) / cycleLength;
      return Math.min(1.0, position / ratio);
    }

    @Override
    public Optional<String> warning(long totalSteps) {
      return ratio * totalSteps / cycles >= 1 ? Optional.empty() : Optional.of("the cyclical schedule's " + cycles
          + " cycles with rising fraction " + ratio + " leave less than one step to rise in a run of " + totalSteps
          + " steps: use fewer cycles");
    }
  }
}
