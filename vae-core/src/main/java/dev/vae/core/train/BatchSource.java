package dev.vae.core.train;

/**
 * Training examples as the trainer needs them: how many, their dimension, and a way to copy a
 * batch of them into a buffer. A source may transform examples per epoch (dynamic binarisation);
 * it must do so as a function of (epoch, batch) only, so a resumed run sees the same data.
 */
public interface BatchSource {
  int size();

  int dimension();

  /** Copies the examples at {@code indices} (row-major) into {@code out}, of length indices · dimension. */
  void fill(int[] indices, int epoch, int batch, float[] out);
}
