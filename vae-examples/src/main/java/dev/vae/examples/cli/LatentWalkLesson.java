package dev.vae.examples.cli;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.model.SamplingMode;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Mnist;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.Posterior;
import dev.vae.examples.plot.ImageGrid;
import dev.vae.examples.plot.Png;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The lesson of moving in latent space, on a trained run: between the posterior means of pairs of
 * test images, linearly and along the great circle (spherical interpolation), and away from one
 * image's posterior mean in a fixed random direction, z = μ + α·σ·ε, by growing multiples α of its
 * posterior's standard deviation; every z is decoded to its MEAN E[x|z]. A linear path's midpoint
 * is shorter than its ends, where the prior puts little mass in many dimensions; the spherical path
 * keeps the norm. Prints those norms and writes latent-walks.png.
 */
@Command(name = "latent-walks", mixinStandardHelpOptions = true,
    description = "Interpolate between test images' codes (linear and spherical) and walk away from one by "
        + "multiples of its posterior's sigma: latent-walks.png, and the norms along the paths.")
final class LatentWalkLesson implements Callable<Integer> {
  private static final double[] ALPHAS = {0, 0.5, 1, 1.5, 2, 3, 4, 6, 8};

  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "--pairs", defaultValue = "3", description = "Pairs of test images (default: ${DEFAULT-VALUE}).")
  int pairs;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--pairs", pairs, 1, "");
    try (LoadedRun loaded = LoadedRun.open(run)) {
      Vae vae = loaded.vae();
      Engine engine = vae.engine();
      int d = vae.latentDimension();
      int steps = ALPHAS.length;
      float[] images = loaded.data().firstTestImages(2 * pairs);
      List<String> labels = new ArrayList<>();
      List<double[]> codes = new ArrayList<>();
      try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
        Posterior q = vae.encode(engine.fromHost(images, Shape.of(2 * pairs, vae.dataDimension()))
            .cast(vae.dtype()));
        double[] means = q.pointEstimate().toDoubles();
        double[] sigmas = q.base().standardDeviation().toDoubles();
        for (int p = 0; p < pairs; p++) {
          double[] a = row(means, 2 * p, d);
          double[] b = row(means, 2 * p + 1, d);
          double[] linearMiddle = null;
          for (int s = 0; s < steps; s++) {
            double t = (double) s / (steps - 1);
            double[] linear = new double[d];
            for (int j = 0; j < d; j++) {
              linear[j] = (1 - t) * a[j] + t * b[j];
            }
            codes.add(linear);
            linearMiddle = s == steps / 2 ? linear : linearMiddle;
          }
          for (int s = 0; s < steps; s++) {
            codes.add(slerp(a, b, (double) s / (steps - 1)));
          }
          labels.add("pair " + (p + 1) + ", linear");
          labels.add("pair " + (p + 1) + ", spherical");
          System.out.printf(Locale.ROOT, "pair %d: |z| %.2f and %.2f at the ends, %.2f at the linear middle, %.2f at "
              + "the spherical one (a draw from the prior: about %.2f)%n", p + 1, norm(a), norm(b), norm(linearMiddle),
              norm(codes.get(codes.size() - 1 - steps / 2)), Math.sqrt(d));
        }
        double[] mu = row(means, 0, d);
        double[] sigma = row(sigmas, 0, d);
        double[] direction = engine.normal(new Rng(loaded.config().seed()).fork(77), Shape.of(d), vae.dtype())
            .toDoubles();
        for (double alpha : ALPHAS) {
          double[] z = new double[d];
          for (int j = 0; j < d; j++) {
            z[j] = mu[j] + alpha * sigma[j] * direction[j];
          }
          codes.add(z);
        }
        labels.add("μ + α·σ·ε");
        double[] flat = codes.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
        Tensor decoded = vae.generate(engine.fromHost(flat, Shape.of(codes.size(), d), vae.dtype()), SamplingMode.MEAN,
            new Rng(loaded.config().seed()));
        float[] all = decoded.toFloats();
        int m = vae.dataDimension();
        float[][] pictures = new float[codes.size()][];
        for (int i = 0; i < pictures.length; i++) {
          pictures[i] = java.util.Arrays.copyOfRange(all, i * m, (i + 1) * m);
        }
        System.out.println("wrote " + Png.write(ImageGrid.of(Mnist.SIDE, Mnist.SIDE).withColumns(steps)
            .withLabelWidth(130).render("MEAN decodings E[x|z] along paths in latent space; last row α = "
                + java.util.Arrays.toString(ALPHAS), labels, pictures), run.run.resolve("latent-walks.png")));
      }
    }
    return 0;
  }

  /** The point at fraction t of the great-circle arc from a to b, its norm interpolated linearly. */
  static double[] slerp(double[] a, double[] b, double t) {
    double na = norm(a);
    double nb = norm(b);
    double cos = 0;
    for (int j = 0; j < a.length; j++) {
      cos += a[j] * b[j] / (na * nb);
    }
    double theta = Math.acos(Math.max(-1, Math.min(1, cos)));
    double[] z = new double[a.length];
    for (int j = 0; j < a.length; j++) {
      double ua = a[j] / na;
      double ub = b[j] / nb;
      double direction = theta < 1e-9 ? (1 - t) * ua + t * ub
          : (Math.sin((1 - t) * theta) * ua + Math.sin(t * theta) * ub) / Math.sin(theta);
      z[j] = direction * ((1 - t) * na + t * nb);
    }
    return z;
  }

  static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  private static double[] row(double[] flat, int i, int d) {
    return java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
  }
}
