package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import java.util.Arrays;
import java.util.List;

/**
 * Group normalisation (Wu and He 2018) as PyTorch's GroupNorm: the channels of images [n, c, h, w]
 * are split into groups, each example's group normalised by its own mean and biased variance, then
 * every channel scaled and shifted (learned, from 1 and 0). Independent of the batch, so the same
 * in training and evaluation; one group is layer normalisation with per-channel parameters.
 */
public final class GroupNorm implements Layer {
  private static final double EPSILON = 1e-5;

  private final String name;
  private final int groups;
  private final Parameter scale;
  private final Parameter shift;

  /** Normalises {@code channels} channels in {@code groups} groups; the groups must divide the channels. */
  public GroupNorm(String name, Engine engine, int groups, int channels, DType dtype) {
    if (groups < 1 || channels % groups != 0) {
      throw new IllegalArgumentException("layer " + name + ": " + groups + " groups must divide the " + channels
          + " channels");
    }
    this.name = name;
    this.groups = groups;
    double[] ones = new double[channels];
    Arrays.fill(ones, 1);
    this.scale = Parameter.fromHost(name + ".weight", engine, ones, Shape.of(channels), dtype);
    this.shift = Parameter.fromHost(name + ".bias", engine, new double[channels], Shape.of(channels), dtype);
  }

  @Override
  public Tensor forward(Tensor input) {
    int channels = scale.shape().dim(0);
    if (input.rank() < 2 || input.dim(1) != channels) {
      throw new IllegalArgumentException("layer " + name + " normalises " + channels + " channels along axis 1, got "
          + input.shape());
    }
    int n = input.dim(0);
    Tensor grouped = input.reshape(n, groups, input.shape().sizeAsInt() / (n * groups));
    Tensor centred = grouped.sub(grouped.mean(true, 2));
    Tensor normalised = centred.div(centred.square().mean(true, 2).add(EPSILON).sqrt()).reshape(input.shape());
    int[] perChannel = new int[input.rank()];
    Arrays.fill(perChannel, 1);
    perChannel[1] = channels;
    return normalised.mul(scale.tensor().reshape(perChannel)).add(shift.tensor().reshape(perChannel));
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(scale, shift);
  }
}
