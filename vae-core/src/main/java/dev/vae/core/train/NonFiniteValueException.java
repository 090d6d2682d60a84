package dev.vae.core.train;

/**
 * Training produced NaN or infinity. Says where: the step and epoch, the term of the objective
 * (reconstruction, KL, gradient or parameter) and, where it could be traced, the layer whose
 * output or parameter first went non-finite.
 */
public final class NonFiniteValueException extends RuntimeException {
  private final long step;
  private final int epoch;
  private final String term;
  private final String origin;

  public NonFiniteValueException(long step, int epoch, String term, String origin) {
    super("non-finite value at step " + step + " (epoch " + (epoch + 1) + ") in " + term
        + (origin.isEmpty() ? "" : "; first non-finite: " + origin));
    this.step = step;
    this.epoch = epoch;
    this.term = term;
    this.origin = origin;
  }

  public long step() {
    return step;
  }

  public int epoch() {
    return epoch;
  }

  /** "reconstruction", "KL", "gradient" or "parameter". */
  public String term() {
    return term;
  }

  /** The layer, parameter or quantity traced as the first non-finite one; empty if none was found. */
  public String origin() {
    return origin;
  }
}
