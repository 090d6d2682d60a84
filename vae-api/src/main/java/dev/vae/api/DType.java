package dev.vae.api;

/** The element types a backend stores: IEEE float32 for training, float64 for checks and references. */
public enum DType {
  FLOAT32(4),
  FLOAT64(8);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }
}
