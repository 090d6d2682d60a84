package dev.vae.api;

/**
 * Convolutions, transposed convolutions, pooling and upsampling of images [n, c, h, w], composed
 * from {@link Tensor#unfold} and {@link Tensor#fold} and one matrix product each, so every backend
 * runs them and their gradients come from the rules of those primitives. Weights follow PyTorch's
 * layout: [out, in, kh, kw] for a convolution, [in, out, kh, kw] for a transposed one.
 */
public final class Convolutions {
  private Convolutions() {}

  /** The 2-D convolution (cross-correlation) of x [n, c, h, w] with weight [o, c, kh, kw]: [n, o, oh, ow]. */
  public static Tensor conv2d(Tensor x, Tensor weight, ConvGeometry window) {
    requireImages("conv2d input", x);
    requireWeight("conv2d", x, weight, window, 1);
    int n = x.dim(0);
    int out = weight.dim(0);
    int oh = window.outputHeight(x.dim(2));
    int ow = window.outputWidth(x.dim(3));
    Tensor patches = x.unfold(window).reshape(n * oh * ow, x.dim(1) * window.taps());
    Tensor rows = patches.matmul(weight.reshape(out, x.dim(1) * window.taps()), false, true);
    return rows.reshape(n, oh, ow, out).permute(0, 3, 1, 2);
  }

  /**
   * The transposed convolution of x [n, c, h, w] with weight [c, o, kh, kw]: the adjoint of
   * {@link #conv2d} under the same window, [n, o, (h − 1)·stride − 2·padding + dilation·(k − 1) + 1, …].
   */
  public static Tensor convTranspose2d(Tensor x, Tensor weight, ConvGeometry window) {
    requireImages("convTranspose2d input", x);
    requireWeight("convTranspose2d", x, weight, window, 0);
    int n = x.dim(0);
    int c = x.dim(1);
    int out = weight.dim(1);
    Shape images = Shape.of(n, out, window.transposedHeight(x.dim(2)), window.transposedWidth(x.dim(3)));
    Tensor rows = x.permute(0, 2, 3, 1).reshape(n * x.dim(2) * x.dim(3), c);
    Tensor patches = rows.matmul(weight.reshape(c, out * window.taps()));
    return patches.reshape(n, x.dim(2) * x.dim(3), out * window.taps()).fold(images, window);
  }

  /** bias [o] added to every pixel of channel o of images [n, o, h, w]. */
  public static Tensor addChannelBias(Tensor images, Tensor bias) {
    requireImages("addChannelBias input", images);
    if (bias.rank() != 1 || bias.dim(0) != images.dim(1)) {
      throw new IllegalArgumentException("a channel bias for images " + images.shape() + " must be ["
          + images.dim(1) + "], got " + bias.shape());
    }
    return images.add(bias.reshape(1, bias.dim(0), 1, 1));
  }

  /** The maximum of each window of each channel: [n, c, oh, ow]. The window must not pad. */
  public static Tensor maxPool2d(Tensor x, ConvGeometry window) {
    if (window.paddingHeight() != 0 || window.paddingWidth() != 0) {
      throw new IllegalArgumentException("maxPool2d pads with nothing; its window " + window + " asks for padding");
    }
    return pool(x, window, true);
  }

  /** The mean of each window of each channel, padding counted as zeros: [n, c, oh, ow]. */
  public static Tensor avgPool2d(Tensor x, ConvGeometry window) {
    return pool(x, window, false);
  }

  /** Each pixel repeated {@code factor} times along height and width: [n, c, h·factor, w·factor]. */
  public static Tensor upsampleNearest(Tensor x, int factor) {
    requireImages("upsampleNearest input", x);
    if (factor < 1) {
      throw new IllegalArgumentException("upsampling factor must be at least 1, got " + factor);
    }
    int n = x.dim(0);
    int c = x.dim(1);
    int h = x.dim(2);
    int w = x.dim(3);
    return x.reshape(n, c, h, 1, w, 1).broadcastTo(Shape.of(n, c, h, factor, w, factor))
        .reshape(n, c, h * factor, w * factor);
  }

  private static Tensor pool(Tensor x, ConvGeometry window, boolean max) {
    requireImages(max ? "maxPool2d input" : "avgPool2d input", x);
    int n = x.dim(0);
    int c = x.dim(1);
    int oh = window.outputHeight(x.dim(2));
    int ow = window.outputWidth(x.dim(3));
    Tensor taps = x.unfold(window).reshape(n, oh * ow, c, window.taps());
    Tensor pooled = max ? taps.max(false, 3) : taps.mean(3);
    return pooled.permute(0, 2, 1).reshape(n, c, oh, ow);
  }

  private static void requireImages(String what, Tensor x) {
    if (x.rank() != 4) {
      throw new IllegalArgumentException(what + " must be images [n, c, h, w], got " + x.shape());
    }
  }

  private static void requireWeight(String what, Tensor x, Tensor weight, ConvGeometry window, int inputAxis) {
    if (weight.rank() != 4 || weight.dim(inputAxis) != x.dim(1) || weight.dim(2) != window.kernelHeight()
        || weight.dim(3) != window.kernelWidth()) {
      String expected = inputAxis == 1 ? "[out, " + x.dim(1) + ", " : "[" + x.dim(1) + ", out, ";
      throw new IllegalArgumentException(what + ": input " + x.shape() + " and window " + window + " need a weight "
          + expected + window.kernelHeight() + ", " + window.kernelWidth() + "], got " + weight.shape());
    }
  }
}
