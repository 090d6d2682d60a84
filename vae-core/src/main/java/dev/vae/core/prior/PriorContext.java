package dev.vae.core.prior;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import java.util.function.Function;

/**
 * What a {@link PriorProvider} builds from: the engine, the latent dimension d, the shape of one
 * example of the data, the model's posterior q(z|x) as a diagonal Gaussian (a flow's base, a full
 * covariance's marginals; to be called only once the model is built, as the VampPrior does on its
 * pseudo-inputs), the stream its parameters are drawn from, the dtype and
 * its own options.
 */
public record PriorContext(Engine engine, int latent, Shape dataShape,
    Function<Tensor, DiagonalGaussianPosterior> posterior, Rng rng, DType dtype, Options options) {

  /**
   * The hidden widths of the prior's MLPs from its options {@code hidden} (their width) and
   * {@code depth} (how many), checked, with the given defaults.
   */
  public int[] hiddenWidths(String prior, int width, int depth) {
    int w = options.getInt("hidden", width);
    int layers = options.getInt("depth", depth);
    if (w < 1 || layers < 0) {
      throw new IllegalArgumentException("prior " + prior + ": hidden must be at least 1 and depth at least 0, got "
          + w + " and " + layers);
    }
    int[] hidden = new int[layers];
    java.util.Arrays.fill(hidden, w);
    return hidden;
  }
}
