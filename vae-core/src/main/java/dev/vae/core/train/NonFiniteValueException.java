package dev.vae.core.train;

/**
 * Training produced NaN or infinity. Says where: the step and epoch, the term of the objective by
 * the name the model reports it under (reconstruction, kl, cross_entropy, ...) or the gradient, and,
 * where it could be traced, the layer whose output or parameter first went non-finite. Epochs are
 * numbered from 1.
 */
public final class NonFiniteValueException extends RuntimeException {
  private final long step;
  private final int epoch;
  private final String term;
  private final String origin;

  public NonFiniteValueException(long step, int epoch, String term, String origin) {
    super("non-finite value at step " + step + " (epoch " + epoch + ") in " + term
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

  /** The term that went non-finite, by the name the model reports it under (e.g. "kl"), or "gradient". */
  public String term() {
    return term;
  }

  /** The layer, parameter or quantity traced as the first non-finite one; empty if none was found. */
  public String origin() {
    return origin;
  }
}
