package dev.vae.api;

/**
 * The window of a 2-D convolution or pooling over images [n, c, h, w]: kernel size, stride, zero
 * padding and dilation, each for height then width (PyTorch's conventions). A window position
 * (oy, ox) reads the input rows {@code oy·stride − padding + ky·dilation}, ky in [0, kernel), and
 * likewise for columns; positions outside the image read zero.
 */
public record ConvGeometry(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
    int paddingHeight, int paddingWidth, int dilationHeight, int dilationWidth) {

  /** Checks that every size is sensible: kernel, stride and dilation at least 1, padding at least 0. */
  public ConvGeometry {
    if (kernelHeight < 1 || kernelWidth < 1 || strideHeight < 1 || strideWidth < 1
        || dilationHeight < 1 || dilationWidth < 1 || paddingHeight < 0 || paddingWidth < 0) {
      throw new IllegalArgumentException("convolution window " + describe(kernelHeight, kernelWidth, strideHeight,
          strideWidth, paddingHeight, paddingWidth, dilationHeight, dilationWidth)
          + ": kernel, stride and dilation must be at least 1 and padding at least 0");
    }
  }

  /** A square window with the same stride and padding along both axes and no dilation. */
  public static ConvGeometry square(int kernel, int stride, int padding) {
    return new ConvGeometry(kernel, kernel, stride, stride, padding, padding, 1, 1);
  }

  /** kernelHeight · kernelWidth: the taps of one channel. */
  public int taps() {
    return kernelHeight * kernelWidth;
  }

  /** The output height for an input of the given height; fails if the window does not fit. */
  public int outputHeight(int height) {
    return outputSize("height", height, kernelHeight, strideHeight, paddingHeight, dilationHeight);
  }

  /** The output width for an input of the given width; fails if the window does not fit. */
  public int outputWidth(int width) {
    return outputSize("width", width, kernelWidth, strideWidth, paddingWidth, dilationWidth);
  }

  /**
   * The height a transposed convolution makes from the given input height: the input height of the
   * convolution that would map it back, {@code (h − 1)·stride − 2·padding + dilation·(kernel − 1) + 1}.
   */
  public int transposedHeight(int height) {
    return transposedSize("height", height, kernelHeight, strideHeight, paddingHeight, dilationHeight);
  }

  /** As {@link #transposedHeight} for the width. */
  public int transposedWidth(int width) {
    return transposedSize("width", width, kernelWidth, strideWidth, paddingWidth, dilationWidth);
  }

  private int outputSize(String axis, int size, int kernel, int stride, int padding, int dilation) {
    int span = dilation * (kernel - 1) + 1;
    if (size < 0 || size + 2 * padding < span) {
      throw new IllegalArgumentException("an input " + axis + " of " + size + " is smaller than the window "
          + this + " (span " + span + " with padding " + padding + " each side)");
    }
    return (size + 2 * padding - span) / stride + 1;
  }

  private int transposedSize(String axis, int size, int kernel, int stride, int padding, int dilation) {
    int result = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1;
    if (size < 1 || result < 1) {
      throw new IllegalArgumentException("a transposed convolution " + this + " of input " + axis + " " + size
          + " has no output");
    }
    return result;
  }

  @Override
  public String toString() {
    return describe(kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth,
        dilationHeight, dilationWidth);
  }

  private static String describe(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    return "kernel " + kh + "x" + kw + ", stride " + sh + "x" + sw + ", padding " + ph + "x" + pw
        + ", dilation " + dh + "x" + dw;
  }
}
