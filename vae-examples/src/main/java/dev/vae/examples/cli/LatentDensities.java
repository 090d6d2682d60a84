package dev.vae.examples.cli;

import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.StandardNormalPrior;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.DiagonalGaussianPosterior;

/**
 * The densities the lessons that look at a 2-D latent space whole evaluate on a {@link LatentGrid}:
 * the prior's and the decoder's at the cells' centres, and the check that a run's latent space is
 * 2-D at all.
 */
final class LatentDensities {
  private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

  private LatentDensities() {}

  /**
   * Fails, naming the lesson, the run and how to make a fitting one, unless the model's latent space
   * is 2-D, its posterior a diagonal Gaussian and its prior the standard normal, whose densities the
   * lessons draw.
   */
  static void requireTwoDimensions(String lesson, Vae vae, RunOptions run) {
    if (vae.latentDimension() != 2) {
      throw new IllegalArgumentException("vae lesson " + lesson + " looks at the whole latent space, so it needs a "
          + "run with 2 latent dimensions; " + run.run + " has " + vae.latentDimension() + " (train one with: vae "
          + "train --run runs/mnist-d2 --latent 2)");
    }
    if (!vae.posteriorFamily().name().equals(DiagonalGaussianPosterior.NAME)) {
      throw new IllegalArgumentException("vae lesson " + lesson + " draws the densities of diagonal Gaussian "
          + "posteriors; " + run.run + " has the posterior " + vae.posteriorFamily().describe() + " (train one "
          + "without --posterior)");
    }
    if (!vae.prior().name().equals(StandardNormalPrior.NAME)) {
      throw new IllegalArgumentException("vae lesson " + lesson + " draws the density of the standard normal prior; "
          + run.run + " has the prior " + vae.prior().name() + " (train one without --prior)");
    }
  }

  /** log p(z) of the standard normal prior at each cell's centre. */
  static double[] logPrior(LatentGrid grid) {
    double[] log = new double[grid.cells()];
    for (int cell = 0; cell < log.length; cell++) {
      double[] z = grid.point(cell);
      log[cell] = -LOG_TWO_PI - 0.5 * (z[0] * z[0] + z[1] * z[1]);
    }
    return log;
  }

  /** log p(x|z) of one image x (m values) at each cell's centre. */
  static double[] logLikelihood(Vae vae, float[] image, LatentGrid grid) {
    Engine engine = vae.engine();
    int m = vae.dataDimension();
    float[] repeated = new float[grid.cells() * m];
    for (int cell = 0; cell < grid.cells(); cell++) {
      System.arraycopy(image, 0, repeated, cell * m, m);
    }
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      Tensor z = engine.fromHost(grid.points(), Shape.of(grid.cells(), 2), vae.dtype());
      Tensor x = engine.fromHost(repeated, Shape.of(grid.cells(), m)).cast(vae.dtype());
      return vae.likelihood().logProb(vae.decode(z), x).toDoubles();
    }
  }
}
