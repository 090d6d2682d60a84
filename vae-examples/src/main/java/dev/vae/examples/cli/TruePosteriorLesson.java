package dev.vae.examples.cli;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.DataSet;
import dev.vae.core.eval.ImportanceSampling;
import dev.vae.core.model.Vae;
import dev.vae.examples.plot.Heatmap;
import dev.vae.examples.plot.ImageGrid;
import dev.vae.examples.plot.Montage;
import dev.vae.examples.plot.Png;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The lesson of the ELBO's gap, for a run with a 2-D latent space: for a few test images the true
 * posterior p(z|x) = p(x|z) p(z) / p(x), computed on a grid around the encoder's q(z|x), beside
 * q(z|x) itself. On the grid log p(x) is an integral, not an estimate, and so are the ELBO and the
 * gap log p(x) − ELBO = KL(q(z|x) ‖ p(z|x)), as far as the window holds the true posterior: the
 * share of its mass in the window's edge cells says whether it does (the integral misses what lies
 * beyond), and the importance-sampled log p(x) of {@code vae evaluate} is printed beside it.
 */
@Command(name = "true-posterior", mixinStandardHelpOptions = true,
    description = "For a run with a 2-D latent space: the true posterior p(z|x) on a grid beside q(z|x) for a few test "
        + "images, with log p(x), the ELBO and their gap KL(q || p(z|x)) integrated on the grid: true-posterior.png.")
final class TruePosteriorLesson implements Callable<Integer> {
  private static final int SIDE = 100;
  private static final int CELL_PIXELS = 2;

  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "--images", defaultValue = "6", description = "Test images (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--reach", defaultValue = "6", description = "The window reaches this many of q(z|x)'s larger "
      + "standard deviation from its mean, both ways (default: ${DEFAULT-VALUE}).")
  double reach;

  @Option(names = {"-k", "--importance-samples"}, defaultValue = "1000",
      description = "Importance samples of the check on log p(x) (default: ${DEFAULT-VALUE}).")
  int k;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--images", images, 1, "");
    OptionChecks.atLeast("-k", k, 1, "");
    if (!(reach >= 2) || Double.isInfinite(reach)) {
      throw new IllegalArgumentException("--reach must be a number of at least 2 (standard deviations of q(z|x) the "
          + "window reaches), got " + reach);
    }
    try (LoadedRun loaded = LoadedRun.open(run)) {
      Vae vae = loaded.vae();
      LatentDensities.requireTwoDimensions("true-posterior", vae, run);
      DataSet test = loaded.data().evaluationTest();
      int n = Math.min(images, test.size());
      float[] data = loaded.data().firstTestImages(n);
      EncodedImages q = EncodedImages.of(vae, test, n);
      double[] sampled = importanceSampled(vae, data, n, new Rng(loaded.config().seed()).fork(77));
      System.out.printf(Locale.ROOT, "| image | digit | log p(x) on the grid | log p(x), importance sampling (k = %d) "
          + "| ELBO on the grid | gap = KL(q(z|x) || p(z|x)) | p(z|x)'s mass in the edge cells |%n", k);
      System.out.println("|---|---|---|---|---|---|---|");
      List<BufferedImage> rows = new ArrayList<>();
      double gaps = 0;
      for (int i = 0; i < n; i++) {
        int m = vae.dataDimension();
        float[] image = Arrays.copyOfRange(data, i * m, (i + 1) * m);
        double spread = Math.sqrt(Math.max(q.variances()[i][0], q.variances()[i][1]));
        LatentGrid grid = new LatentGrid(q.means()[i][0], q.means()[i][1], reach * spread, SIDE);
        double[] logJoint = LatentDensities.logLikelihood(vae, image, grid);
        double[] logPrior = LatentDensities.logPrior(grid);
        double[] logQ = new double[grid.cells()];
        for (int cell = 0; cell < grid.cells(); cell++) {
          logJoint[cell] += logPrior[cell];
          logQ[cell] = q.logDensity(i, grid.point(cell));
        }
        double logEvidence = grid.logIntegral(logJoint);
        double[] integrand = new double[grid.cells()];
        double[] edge = new double[grid.cells()];
        for (int cell = 0; cell < grid.cells(); cell++) {
          integrand[cell] = logJoint[cell] - logQ[cell];
          edge[cell] = grid.onEdge(cell) ? 1 : 0;
        }
        double elbo = grid.integral(logQ, integrand);
        double[] logPosterior = Arrays.stream(logJoint).map(v -> v - logEvidence).toArray();
        gaps += (logEvidence - elbo) / n;
        System.out.printf(Locale.ROOT, "| %d | %d | %.3f | %.3f | %.3f | %.3f | %.1e |%n", i + 1, test.labels()[i],
            logEvidence, sampled[i], elbo, logEvidence - elbo, grid.integral(logPosterior, edge));
        rows.add(row(image, grid, logJoint, logQ, spread, logEvidence - elbo));
      }
      System.out.printf(Locale.ROOT, "mean gap %.3f nats over %d images%n", gaps, n);
      System.out.println("wrote " + Png.write(Montage.column(rows), run.run.resolve("true-posterior.png")));
    }
    return 0;
  }

  private double[] importanceSampled(Vae vae, float[] data, int n, Rng rng) {
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      return ImportanceSampling.logLikelihood(vae, engine.fromHost(data, Shape.of(n, vae.dataDimension()))
          .cast(vae.dtype()), k, Math.min(k, 500), rng);
    }
  }

  /** One image, its true posterior and q(z|x) on the same window, as densities. */
  private static BufferedImage row(float[] image, LatentGrid grid, double[] logJoint, double[] logQ, double spread,
      double gap) {
    Heatmap heatmap = new Heatmap(SIDE, CELL_PIXELS);
    String window = String.format(Locale.ROOT, "window ±%.2f", grid.halfWidth());
    return Montage.row(List.of(
        ImageGrid.of(28, 28).withColumns(1).withScale(4).render(String.format(Locale.ROOT, "gap %.2f nats", gap), null,
            new float[][] {image}),
        Montage.titled("true p(z|x), " + window, heatmap.render(exp(logJoint))),
        Montage.titled(String.format(Locale.ROOT, "q(z|x), larger sd %.3f", spread), heatmap.render(exp(logQ)))));
  }

  /** exp of each value, shifted by the largest so the largest is 1 (a density up to its constant). */
  private static double[] exp(double[] logs) {
    double max = Arrays.stream(logs).max().orElse(0);
    double[] out = new double[logs.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.exp(logs[i] - max);
    }
    return out;
  }
}
