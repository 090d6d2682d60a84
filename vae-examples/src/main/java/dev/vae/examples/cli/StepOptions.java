package dev.vae.examples.cli;

import dev.vae.core.train.LearningRateSchedule;
import dev.vae.core.train.NonFinitePolicy;
import dev.vae.core.train.TrainerConfig;
import picocli.CommandLine.Option;

/**
 * The trainer's options that every training command shares, apart from epochs, batch size, rate
 * and seed (whose defaults differ between commands): the learning-rate schedule, early stopping's
 * patience, gradient clipping and what to do about a non-finite value. Recorded in the run.
 */
final class StepOptions {
  @Option(names = "--schedule", defaultValue = "constant",
      description = "Learning-rate schedule: constant, exponential[:gamma], cosine[:min], optionally +warmup:steps.")
  String schedule;

  @Option(names = "--patience", defaultValue = "0",
      description = "Stop after this many epochs without a better validation measure; 0 never stops early.")
  int patience;

  @Option(names = "--clip-norm", defaultValue = "0", description = "Clip gradients to this global norm; 0: off.")
  double clipNorm;

  @Option(names = "--on-nan", defaultValue = "stop",
      description = "stop (keep the last checkpoint) or skip (skip the batch, halve the learning rate).")
  String onNan;

  /** Fails, naming the option, unless every value is allowed (for a run of this rate and length). */
  void check(double learningRate, int epochs) {
    OptionChecks.atLeast("--patience", patience, 0, " (0 never stops early)");
    OptionChecks.nonNegative("--clip-norm", clipNorm, " (0 turns clipping off)");
    LearningRateSchedule.parse(schedule, learningRate, epochs);
    policy();
  }

  /** {@code builder} with these options set. */
  TrainerConfig.Builder apply(TrainerConfig.Builder builder, double validationFraction) {
    return builder.schedule(schedule).validation(validationFraction, patience).clipNorm(clipNorm)
        .nonFinitePolicy(policy());
  }

  private NonFinitePolicy policy() {
    if (onNan.equalsIgnoreCase("skip")) {
      return NonFinitePolicy.SKIP_AND_HALVE;
    }
    if (!onNan.equalsIgnoreCase("stop")) {
      throw new IllegalArgumentException("--on-nan must be stop or skip, got '" + onNan + "'");
    }
    return NonFinitePolicy.STOP;
  }
}
