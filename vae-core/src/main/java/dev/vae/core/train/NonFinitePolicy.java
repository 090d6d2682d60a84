package dev.vae.core.train;

/** What the trainer does when a batch's loss is NaN or infinite. */
public enum NonFinitePolicy {
  /** Stop with a {@link NonFiniteValueException} saying where; the last checkpoint stays as it was. */
  STOP,
  /** Skip the batch's update and halve the learning rate; stop after 10 such batches in a row. */
  SKIP_AND_HALVE
}
