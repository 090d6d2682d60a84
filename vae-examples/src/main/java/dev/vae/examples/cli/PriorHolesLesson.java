package dev.vae.examples.cli;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.model.SamplingMode;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.DataSet;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.eval.LatentDiagnostics;
import dev.vae.core.model.Vae;
import dev.vae.examples.plot.Heatmap;
import dev.vae.examples.plot.ImageGrid;
import dev.vae.examples.plot.Montage;
import dev.vae.examples.plot.Png;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The lesson of the prior's holes, for a run with a 2-D latent space: the aggregate posterior
 * q(z) = (1/n) Σ q(z|x_i) of the test images, computed exactly on a grid, against the prior p(z);
 * KL(q(z) ‖ p(z)) integrated on the grid beside {@code vae evaluate}'s estimate KL − I(x; z); the
 * share of the prior's mass where q(z) is below a tenth of p(z); and the MEAN decodings of the
 * points inside |z| < 2 where q(z)/p(z) is smallest, beside those where it is largest. What the
 * prior draws but no image is encoded to, the decoder was never trained on.
 */
@Command(name = "holes", mixinStandardHelpOptions = true,
    description = "For a run with a 2-D latent space: the aggregate posterior q(z) against the prior, KL(q(z) || p(z)) "
        + "and decodings from the holes of q(z): holes.png.")
final class PriorHolesLesson implements Callable<Integer> {
  private static final int SIDE = 150;
  private static final int CELL_PIXELS = 3;
  private static final int DECODED = 8;
  /** Holes are looked for inside this radius, where the prior puts 1 − e^{−2} ≈ 86% of its mass. */
  private static final double HOLE_RADIUS = 2;
  /** Chosen points are at least this far apart, so the decodings are not of one spot. */
  private static final double SEPARATION = 0.4;
  /** The darkest colour of the picture: q(z)/p(z) at e^{−8} or below. */
  private static final double LOWEST_LOG_RATIO = -8;

  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "--images", defaultValue = "2000", description = "Test images whose posteriors make q(z) "
      + "(default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--extent", defaultValue = "5", description = "The window pictured and integrated over is "
      + "[-extent, extent]^2 (default: ${DEFAULT-VALUE}).")
  double extent;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--images", images, 2, "");
    if (!(extent > HOLE_RADIUS) || Double.isInfinite(extent)) {
      throw new IllegalArgumentException("--extent must be a number above " + HOLE_RADIUS + " (holes are looked for "
          + "inside |z| < " + HOLE_RADIUS + "), got " + extent);
    }
    try (LoadedRun loaded = LoadedRun.open(run)) {
      Vae vae = loaded.vae();
      LatentDensities.requireTwoDimensions("holes", vae, run);
      DataSet test = loaded.data().evaluationTest();
      int n = Math.min(images, test.size());
      EncodedImages q = EncodedImages.of(vae, test, n);
      LatentGrid grid = LatentGrid.around(extent, SIDE);
      double[] logPrior = LatentDensities.logPrior(grid);
      double[] logAggregate = aggregatePosterior(q, grid);
      double[] logRatio = new double[grid.cells()];
      double[] inHole = new double[grid.cells()];
      for (int cell = 0; cell < grid.cells(); cell++) {
        logRatio[cell] = logAggregate[cell] - logPrior[cell];
        inHole[cell] = logRatio[cell] < -Math.log(10) ? 1 : 0;
      }
      Evaluation.Report report = loaded.evaluateOnTest(n, 0, 1, null);
      System.out.printf(Locale.ROOT, "q(z) of %d test images on a %d x %d grid over [-%.1f, %.1f]^2 (it holds %.4f of "
          + "q's mass)%n", n, SIDE, SIDE, extent, extent, Math.exp(grid.logIntegral(logAggregate)));
      System.out.printf(Locale.ROOT, "KL(q(z) || p(z)) %.3f nats on the grid; vae evaluate's estimate KL - I(x; z) = "
          + "%.3f - %.3f = %.3f nats%n", grid.integral(logAggregate, logRatio), report.kl(),
          report.latent().mutualInformation(), report.aggregatePosteriorKl());
      System.out.printf(Locale.ROOT, "%.1f%% of the prior's mass lies where q(z) < p(z)/10%n",
          100 * grid.integral(logPrior, inHole));
      List<Integer> holes = chosen(grid, logRatio, Comparator.comparingDouble(c -> logRatio[c]));
      List<Integer> dense = chosen(grid, logRatio, Comparator.comparingDouble(c -> -logRatio[c]));
      BufferedImage picture = Montage.row(List.of(
          new Pictures(run.run, vae, loaded.data(), loaded.config().seed()).latentImage(n),
          Montage.titled("log q(z)/p(z); circles |z| = 1, 2; small: the holes decoded",
              new Heatmap(SIDE, CELL_PIXELS).render(clamped(logRatio), circles(grid, holes))),
          Montage.column(List.of(decodings(vae, grid, holes, "MEAN decodings of the holes: q(z)/p(z) smallest"),
              decodings(vae, grid, dense, "MEAN decodings where q(z)/p(z) is largest")))));
      System.out.println("wrote " + Png.write(picture, run.run.resolve("holes.png")));
    }
    return 0;
  }

  /** log q(z) = log (1/n) Σ q(z|x_i) at each cell's centre. */
  private static double[] aggregatePosterior(EncodedImages q, LatentGrid grid) {
    int n = q.means().length;
    return IntStream.range(0, grid.cells()).parallel().mapToDouble(cell -> {
      double[] z = grid.point(cell);
      return LatentDiagnostics.logMeanExp(IntStream.range(0, n).mapToDouble(i -> q.logDensity(i, z)).toArray());
    }).toArray();
  }

  /** The first {@value #DECODED} cells inside |z| < {@value #HOLE_RADIUS} in the given order, {@value #SEPARATION} apart. */
  private static List<Integer> chosen(LatentGrid grid, double[] logRatio, Comparator<Integer> order) {
    List<Integer> inside = new ArrayList<>();
    for (int cell = 0; cell < grid.cells(); cell++) {
      double[] z = grid.point(cell);
      if (Math.hypot(z[0], z[1]) < HOLE_RADIUS) {
        inside.add(cell);
      }
    }
    inside.sort(order);
    List<Integer> picked = new ArrayList<>();
    for (int cell : inside) {
      double[] z = grid.point(cell);
      if (picked.stream().allMatch(p -> distance(grid.point(p), z) >= SEPARATION)) {
        picked.add(cell);
      }
      if (picked.size() == DECODED) {
        break;
      }
    }
    return picked;
  }

  private static double distance(double[] a, double[] b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }

  private static double[] clamped(double[] logRatio) {
    double[] out = new double[logRatio.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(LOWEST_LOG_RATIO, logRatio[i]);
    }
    return out;
  }

  /** The prior's circles of radius 1 and 2 and a small circle round each hole, in cells. */
  private static double[][] circles(LatentGrid grid, List<Integer> holes) {
    List<double[]> circles = new ArrayList<>();
    double[] origin = grid.position(new double[] {0, 0});
    for (double r : new double[] {1, 2}) {
      circles.add(new double[] {origin[0], origin[1], r / grid.cellWidth()});
    }
    for (int cell : holes) {
      double[] at = grid.position(grid.point(cell));
      circles.add(new double[] {at[0], at[1], 2});
    }
    return circles.toArray(double[][]::new);
  }

  private static BufferedImage decodings(Vae vae, LatentGrid grid, List<Integer> cells, String title) {
    double[] z = new double[2 * cells.size()];
    for (int i = 0; i < cells.size(); i++) {
      System.arraycopy(grid.point(cells.get(i)), 0, z, 2 * i, 2);
    }
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      Tensor codes = engine.fromHost(z, Shape.of(cells.size(), 2), vae.dtype());
      float[] flat = vae.generate(codes, SamplingMode.MEAN, new Rng(0)).toFloats();
      int m = vae.dataDimension();
      float[][] pictures = new float[cells.size()][];
      for (int i = 0; i < pictures.length; i++) {
        pictures[i] = java.util.Arrays.copyOfRange(flat, i * m, (i + 1) * m);
      }
      return ImageGrid.of(28, 28).withColumns(DECODED).withScale(2).render(title, null, pictures);
    }
  }
}
