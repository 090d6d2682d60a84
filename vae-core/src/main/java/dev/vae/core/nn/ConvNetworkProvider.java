package dev.vae.core.nn;

import com.google.auto.service.AutoService;
import dev.vae.api.ConvGeometry;
import dev.vae.api.Options;
import dev.vae.api.Shape;

/**
 * Registers "conv": convolutional networks for images, read as rows [n, c·h·w] flattened row-major
 * and given their shape [n, c, h, w] from the data (or the option {@code image}). The encoder is
 * {@code depth} stride-2 convolutions (kernel 4, padding 1, each doubling the channels
 * from {@code base-channels}) followed by dense layers through the hidden widths to the posterior's
 * numbers (2d for a diagonal Gaussian); the decoder
 * mirrors it, dense layers to the top convolution's activations and transposed convolutions back to
 * k channels per image channel, in the data's own shape [n, k·c, h, w] (as rows [n, k·c·h·w] when the
 * data are rows). One activation follows every layer but the last of each network.
 * With {@code --hidden 256} and the defaults this is, layer for layer, the ConvVAE this project's
 * benchmarks compare against in PyTorch (two convolutions to 32 and 64 channels on 28×28 MNIST).
 *
 * <p>Options: {@code image=CxHxW} (default: the data's shape if they are pictures, else one square
 * channel),
 * {@code base-channels} (default 32), {@code depth} (default 2), {@code residual-blocks} (default 0:
 * that many residual blocks at the top resolution, after the encoder's convolutions and before the
 * decoder's), {@code norm=none|batch|layer|group} (default none: batch, layer or group
 * normalisation after every strided convolution but the decoder's last, before its activation; not
 * inside residual blocks), {@code groups} (with norm=group, default 8: they must divide every such
 * convolution's channels) and {@code dropout} (default 0: the probability of dropping after each of
 * those activations). H and W must divide by 2^depth.
 */
@AutoService(NetworkProvider.class)
public final class ConvNetworkProvider implements NetworkProvider {
  public static final String NAME = "conv";
  private static final ConvGeometry HALVING = ConvGeometry.square(4, 2, 1);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "stride-2 convolutions down, transposed convolutions up, dense layers between (options: image=CxHxW,"
        + " base-channels, depth, residual-blocks, norm=none|batch|layer|group, groups, dropout)";
  }

  @Override
  public Networks build(NetworkContext c) {
    Options options = c.options();
    int[] image = image(options.getString("image", ""), c.dataShape());
    int base = options.getInt("base-channels", 32);
    int depth = options.getInt("depth", 2);
    int blocks = options.getInt("residual-blocks", 0);
    Norm norm = Norm.named(options.getString("norm", "none"));
    int groups = norm == Norm.GROUP ? options.getInt("groups", 8) : 1;
    double dropout = options.getDouble("dropout", 0);
    options.requireAllUsed("network " + NAME);
    if (base < 1 || depth < 1 || depth > 16 || blocks < 0) {
      throw new IllegalArgumentException("network conv: base-channels must be at least 1, depth in [1, 16] and"
          + " residual-blocks at least 0, got " + base + ", " + depth + " and " + blocks);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("network conv: dropout is a probability in [0, 1), got " + dropout);
    }
    Activated activated = new Activated(c, norm, groups, dropout);
    int scale = 1 << depth;
    if (image[1] % scale != 0 || image[2] % scale != 0) {
      throw new IllegalArgumentException("network conv: an image of " + image[1] + "x" + image[2] + " does not halve "
          + depth + " times (depth=" + depth + "); height and width must divide by " + scale);
    }
    int top = base << (depth - 1);
    int topHeight = image[1] / scale;
    int topWidth = image[2] / scale;
    int flat = top * topHeight * topWidth;
    int perPixel = c.decoderOutputs() / c.dataDimension();

    Sequential.Builder encoder = Sequential.builder()
        .stage("encoder.image", x -> x.reshape(x.dim(0), image[0], image[1], image[2]));
    int channels = image[0];
    for (int i = 0; i < depth; i++) {
      int out = base << i;
      String name = "encoder.conv" + i;
      encoder.layer(name, new Conv2d(name, c.engine(), channels, out, HALVING, c.rng(), c.dtype()));
      activated.after(encoder, name, Shape.of(out, image[1] >> (i + 1), image[2] >> (i + 1)));
      channels = out;
    }
    residualBlocks(encoder, c, "encoder.block", blocks, top);
    encoder.stage("encoder.flatten", x -> x.reshape(x.dim(0), flat))
        .layer("encoder.dense", MlpNetworkProvider.dense(c, "encoder.dense", flat, c.hidden(), c.encoderOutputs()));

    Sequential.Builder decoder = Sequential.builder()
        .layer("decoder.dense", MlpNetworkProvider.dense(c, "decoder.dense", c.latent(), c.decoderHidden(), flat))
        .stage("decoder.dense.activation", c.activation()::apply)
        .stage("decoder.image", x -> x.reshape(x.dim(0), top, topHeight, topWidth));
    residualBlocks(decoder, c, "decoder.block", blocks, top);
    for (int i = depth - 1; i >= 0; i--) {
      int out = i == 0 ? image[0] * perPixel : base << (i - 1);
      String name = "decoder.deconv" + i;
      decoder.layer(name, Conv2d.transposed(name, c.engine(), channels, out, HALVING, c.rng(), c.dtype()));
      if (i > 0) {
        activated.after(decoder, name, Shape.of(out, image[1] >> i, image[2] >> i));
      }
      channels = out;
    }
    if (c.dataShape().rank() == 1) {
      decoder.stage("decoder.flatten", x -> x.reshape(x.dim(0), c.decoderOutputs()));
    }
    return new Networks(encoder.build(), decoder.build());
  }

  /**
   * Residual blocks at the top resolution, each x + conv1x1(act(conv3x3(act(x)))) with as many
   * channels as x (the blocks of VQ-VAE, van den Oord et al. 2017).
   */
  private static void residualBlocks(Sequential.Builder network, NetworkContext c, String prefix, int count,
      int channels) {
    for (int b = 0; b < count; b++) {
      String name = prefix + b;
      ConvGeometry same = ConvGeometry.square(3, 1, 1);
      ConvGeometry pointwise = ConvGeometry.square(1, 1, 0);
      Sequential body = Sequential.builder()
          .stage(name + ".activation0", c.activation()::apply)
          .layer(name + ".conv0", new Conv2d(name + ".conv0", c.engine(), channels, channels, same, c.rng(), c.dtype()))
          .stage(name + ".activation1", c.activation()::apply)
          .layer(name + ".conv1", new Conv2d(name + ".conv1", c.engine(), channels, channels, pointwise, c.rng(),
              c.dtype()))
          .build();
      network.layer(name, new Residual(name, body));
    }
  }

  /** Normalisation after a convolution. */
  private enum Norm {
    NONE, BATCH, LAYER, GROUP;

    static Norm named(String name) {
      for (Norm n : values()) {
        if (n.name().equalsIgnoreCase(name)) {
          return n;
        }
      }
      throw new IllegalArgumentException("network conv: norm=" + name + " is not one of none, batch, layer, group");
    }
  }

  /** What follows a convolution but the decoder's last: normalisation, the activation, dropout. */
  private record Activated(NetworkContext c, Norm norm, int groups, double dropout) {
    void after(Sequential.Builder network, String layer, Shape images) {
      switch (norm) {
        case BATCH -> network.layer(layer + ".norm", new BatchNorm(layer + ".norm", c.engine(), images.dim(0), c.mode(),
            c.dtype()));
        case LAYER -> network.layer(layer + ".norm", new LayerNorm(layer + ".norm", c.engine(), images, c.dtype()));
        case GROUP -> network.layer(layer + ".norm", new GroupNorm(layer + ".norm", c.engine(), groups, images.dim(0),
            c.dtype()));
        case NONE -> { }
      }
      network.stage(layer + ".activation", c.activation()::apply);
      if (dropout > 0) {
        network.layer(layer + ".dropout", new Dropout(layer + ".dropout", dropout, c.mode()));
      }
    }
  }

  /**
   * [channels, height, width]: the data's if they are pictures, else from "CxHxW", else a square
   * single-channel image of m pixels.
   */
  private static int[] image(String text, Shape data) {
    int m = data.sizeAsInt();
    if (text.isEmpty() && data.rank() == 3) {
      return data.dims();
    }
    if (text.isEmpty()) {
      int side = (int) Math.round(Math.sqrt(m));
      if (side * side != m) {
        throw new IllegalArgumentException("network conv: data of dimension " + m + " is not a square image; say its"
            + " shape with the option image=CxHxW");
      }
      return new int[] {1, side, side};
    }
    String[] parts = text.split("x");
    try {
      int[] shape = {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
      boolean matches = data.rank() == 1 || Shape.of(shape).equals(data);
      if (parts.length == 3 && shape[0] > 0 && shape[1] > 0 && shape[2] > 0 && shape[0] * shape[1] * shape[2] == m
          && matches) {
        return shape;
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      // reported below with what was expected
    }
    throw new IllegalArgumentException("network conv: option image=" + text + " must be CxHxW with C·H·W equal to the"
        + " data dimension " + m + (data.rank() == 1 ? "" : " and the data's picture shape " + data));
  }
}
