package dev.vae.core.nn;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.NdArray;
import dev.vae.core.autodiff.Engine;
import java.util.Arrays;
import java.util.List;

/**
 * Batch normalisation (Ioffe and Szegedy 2015) of features [n, f] or of the channels of images
 * [n, c, h, w], as PyTorch's BatchNorm1d/2d: in training, each feature is normalised by the batch's
 * mean and biased variance, and running estimates move towards the batch's mean and unbiased
 * variance by momentum 0.1 once the step is taken ({@link Mode#commit}); in evaluation, the running
 * estimates normalise. Then a learned scale (from 1) and shift (from 0). The running estimates are
 * the layer's {@linkplain #buffers buffers}, saved in checkpoints beside the parameters.
 */
public final class BatchNorm implements Layer {
  private static final double MOMENTUM = 0.1;
  private static final double EPSILON = 1e-5;

  private final String name;
  private final Engine engine;
  private final Mode mode;
  private final Parameter scale;
  private final Parameter shift;
  private final Parameter runningMean;
  private final Parameter runningVariance;

  public BatchNorm(String name, Engine engine, int features, Mode mode, DType dtype) {
    this.name = name;
    this.engine = engine;
    this.mode = mode;
    Shape shape = Shape.of(features);
    double[] ones = new double[features];
    Arrays.fill(ones, 1);
    this.scale = Parameter.fromHost(name + ".weight", engine, ones, shape, dtype);
    this.shift = Parameter.fromHost(name + ".bias", engine, new double[features], shape, dtype);
    this.runningMean = Parameter.fromHost(name + ".running_mean", engine, new double[features], shape, dtype);
    this.runningVariance = Parameter.fromHost(name + ".running_var", engine, ones, shape, dtype);
  }

  @Override
  public Tensor forward(Tensor input) {
    int features = scale.shape().dim(0);
    if ((input.rank() != 2 && input.rank() != 4) || input.dim(1) != features) {
      throw new IllegalArgumentException("layer " + name + " normalises [n, " + features + "] or [n, " + features
          + ", h, w], got " + input.shape());
    }
    int[] axes = input.rank() == 2 ? new int[] {0} : new int[] {0, 2, 3};
    Shape perFeature = input.rank() == 2 ? Shape.of(1, features) : Shape.of(1, features, 1, 1);
    Tensor mean;
    Tensor variance;
    if (mode.training()) {
      mean = input.mean(true, axes);
      variance = input.sub(mean).square().mean(true, axes);
      long count = input.shape().size() / features;
      if (count < 2) {
        throw new IllegalArgumentException("layer " + name + " normalises by batch statistics in training and needs"
            + " more than one value per feature, got " + input.shape());
      }
      updateRunning(mean.detach().reshape(features), variance.detach().reshape(features), count);
    } else {
      mean = engine.wrap(runningMean.array()).reshape(perFeature);
      variance = engine.wrap(runningVariance.array()).reshape(perFeature);
    }
    Tensor normalised = input.sub(mean).div(variance.add(EPSILON).sqrt());
    return normalised.mul(scale.tensor().reshape(perFeature)).add(shift.tensor().reshape(perFeature));
  }

  private void updateRunning(Tensor batchMean, Tensor batchVariance, long count) {
    double unbiased = (double) count / (count - 1);
    Tensor mean = engine.wrap(runningMean.array()).mul(1 - MOMENTUM).add(batchMean.mul(MOMENTUM));
    Tensor variance = engine.wrap(runningVariance.array()).mul(1 - MOMENTUM)
        .add(batchVariance.mul(MOMENTUM * unbiased));
    NdArray newMean = engine.detachArray(mean);
    NdArray newVariance = engine.detachArray(variance);
    mode.defer(this, new Mode.Change() {
      @Override
      public void apply() {
        runningMean.replace(newMean);
        runningVariance.replace(newVariance);
      }

      @Override
      public void discard() {
        newMean.close();
        newVariance.close();
      }
    });
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(scale, shift);
  }

  @Override
  public List<Parameter> buffers() {
    return List.of(runningMean, runningVariance);
  }
}
