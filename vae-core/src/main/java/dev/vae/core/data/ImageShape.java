package dev.vae.core.data;

/**
 * The shape of one example when the features are the pixels of a single-channel picture, stored
 * row by row (feature {@code r * width + c} is the pixel in row r, column c).
 *
 * @param height rows of pixels
 * @param width columns of pixels
 */
public record ImageShape(int height, int width) {
  /** Checks that both sides are positive. */
  public ImageShape {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image sides must be positive, got height " + height + " and width " + width);
    }
  }

  /** The number of pixels, height × width. */
  public int pixels() {
    return height * width;
  }

  @Override
  public String toString() {
    return height + "x" + width;
  }
}
