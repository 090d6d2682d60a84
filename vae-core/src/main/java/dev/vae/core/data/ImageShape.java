package dev.vae.core.data;

/**
 * The shape of one example when its features are the pixels of a picture, channel by channel and
 * row by row (feature {@code (ch * height + r) * width + c} is channel ch of the pixel in row r,
 * column c); one channel for grey pictures.
 *
 * @param channels colour channels (1 for grey, 3 for RGB)
 * @param height rows of pixels
 * @param width columns of pixels
 */
public record ImageShape(int channels, int height, int width) {
  /** Checks that every side is positive. */
  public ImageShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("image sides must be positive, got " + channels + " channels, height "
          + height + " and width " + width);
    }
  }

  /** A grey picture. */
  public ImageShape(int height, int width) {
    this(1, height, width);
  }

  /** The number of features, channels × height × width. */
  public long features() {
    return (long) channels * height * width;
  }

  /** HxW for a grey picture, CxHxW otherwise. */
  @Override
  public String toString() {
    return (channels == 1 ? "" : channels + "x") + height + "x" + width;
  }
}
