package dev.vae.examples.cli;

/**
 * Checks of option values that picocli's types cannot express, each failing with the option, the
 * value and what is allowed, before a command does any work.
 */
final class OptionChecks {
  private OptionChecks() {}

  /** {@code value} at least {@code min}; {@code meaning} says what the allowed values mean. */
  static int atLeast(String option, int value, int min, String meaning) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + meaning + ", got " + value);
    }
    return value;
  }

  /** {@code text} as a whole number above 0; {@code expected} says what else the option takes. */
  static int positiveInteger(String option, String text, String expected) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with what is expected
    }
    throw new IllegalArgumentException(option + " must be " + expected + " (a whole number above 0), got '" + text
        + "'");
  }

  /** {@code value} a finite number above 0. */
  static double positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a finite number above 0, got " + value);
    }
    return value;
  }

  /** {@code value} a finite number at least 0; {@code meaning} says what 0 means. */
  static double nonNegative(String option, double value, String meaning) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a finite number >= 0" + meaning + ", got " + value);
    }
    return value;
  }
}
