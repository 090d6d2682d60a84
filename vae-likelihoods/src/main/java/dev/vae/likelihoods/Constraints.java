package dev.vae.likelihoods;

import dev.vae.api.Tensor;
import dev.vae.api.likelihood.Support;

/**
 * The constraining transforms that turn a decoder's unconstrained outputs into valid parameters,
 * in one place so every likelihood constrains alike (as TFP's bijectors do):
 *
 * <ul>
 *   <li>positive: {@code softplus(raw) + floor}, never below {@code floor}, and with a gradient
 *       that neither explodes (as exp's does) nor vanishes for large raw values;
 *   <li>unit interval: {@code sigmoid(raw)}; likelihoods on logits use the raw value directly,
 *       which keeps log-probabilities exact near 0 and 1.
 * </ul>
 */
public final class Constraints {
  private Constraints() {}

  /** {@code softplus(raw) + floor}: a positive parameter that never falls below {@code floor}. */
  public static Tensor positive(Tensor raw, double floor) {
    Tensor value = raw.softplus();
    return floor == 0.0 ? value : value.add(floor);
  }

  /**
   * The raw value whose {@link #positive} is {@code value}: softplus⁻¹(value − floor), for
   * initialising owned parameters. Needs {@code value > floor}.
   */
  public static double positiveInverse(double value, double floor) {
    double excess = value - floor;
    if (!(excess > 0)) {
      throw new IllegalArgumentException("a positive parameter must start above its floor " + floor + ", got "
          + value);
    }
    return excess > 30 ? excess + Math.log(-Math.expm1(-excess)) : Math.log(Math.expm1(excess));
  }

  /** {@code sigmoid(raw)}: a parameter in (0, 1). */
  public static Tensor unitInterval(Tensor raw) {
    return raw.sigmoid();
  }

  /** The largest integer not above each element, as tensor math with no gradient. */
  static Tensor floor(Tensor x) {
    Tensor rounded = Support.nearestInteger(x);
    return rounded.sub(rounded.gt(x.detach()));
  }

  /** Checks an option that is a floor or a threshold: finite and non-negative. */
  static double requireNonNegative(String likelihood, String option, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(likelihood + " likelihood: " + option + " must be a finite number >= 0, got "
          + value);
    }
    return value;
  }
}
