package dev.vae.examples.cli;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.eval.ImportanceSampling;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.posterior.Posterior;
import dev.vae.examples.plot.LineChart;
import dev.vae.examples.plot.Png;
import dev.vae.examples.plot.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The lesson of why a VAE needs an encoder to estimate log p(x): with k draws, naive Monte Carlo
 * from the prior, log (1/k) Σ p(x|z_i) with z_i ~ p(z), against importance sampling from the
 * encoder's q(z|x), log (1/k) Σ p(x|z_i) p(z_i) / q(z_i|x). Both converge to log p(x) as k grows;
 * the prior's draws almost never land where p(x|z) is large, so its estimate stays far below and
 * varies widely long after importance sampling has settled. Measured on a trained run's test images.
 */
@Command(name = "encoder", mixinStandardHelpOptions = true,
    description = "log p(x) of a trained run's test images by naive Monte Carlo from the prior and by importance "
        + "sampling from q(z|x), as k grows: the estimates, their spread and encoder.png.")
final class EncoderLesson implements Callable<Integer> {
  private static final int[] DRAWS = {1, 10, 100, 1000, 5000};

  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "--images", defaultValue = "100", description = "Test images (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--repeats", defaultValue = "3", description = "Estimates per k, for the spread (default: "
      + "${DEFAULT-VALUE}).")
  int repeats;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--images", images, 1, "");
    OptionChecks.atLeast("--repeats", repeats, 2, " (the spread needs two)");
    try (LoadedRun loaded = LoadedRun.open(run)) {
      Vae vae = loaded.vae();
      Engine engine = vae.engine();
      int m = vae.dataDimension();
      int d = vae.latentDimension();
      float[] data = loaded.data().firstTestImages(images);
      double[][] naive = new double[DRAWS.length][];
      double[][] importance = new double[DRAWS.length][];
      Rng rng = new Rng(loaded.config().seed()).fork(55);
      try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
        Tensor x = engine.fromHost(data, Shape.of(images, m)).cast(vae.dtype());
        DiagonalGaussianPosterior prior = new DiagonalGaussianPosterior(
            engine.fromHost(new double[images * d], Shape.of(images, d), vae.dtype()),
            engine.fromHost(new double[images * d], Shape.of(images, d), vae.dtype()));
        Posterior posterior = vae.encode(x);
        for (int j = 0; j < DRAWS.length; j++) {
          naive[j] = estimates(vae, x, prior, DRAWS[j], rng);
          importance[j] = estimates(vae, x, posterior, DRAWS[j], rng);
        }
      }
      System.out.println("| k | naive Monte Carlo from p(z): log p(x) (spread) | importance sampling from q(z|x) "
          + "(spread) |");
      System.out.println("|---|---|---|");
      for (int j = 0; j < DRAWS.length; j++) {
        System.out.printf(Locale.ROOT, "| %d | %.2f (%.2f) | %.2f (%.2f) |%n", DRAWS[j], naive[j][0], naive[j][1],
            importance[j][0], importance[j][1]);
      }
      double[] k = new double[DRAWS.length];
      for (int j = 0; j < k.length; j++) {
        k[j] = Math.log10(DRAWS[j]);
      }
      List<Series> series = new ArrayList<>();
      series.add(new Series("naive Monte Carlo, z ~ p(z)", column(naive, 0)));
      series.add(new Series("importance sampling, z ~ q(z|x)", column(importance, 0)));
      Path picture = Png.write(LineChart.of("log p(x) of " + images + " test images, mean estimate", "log10 k",
          "nats per image").render(k, series), run.run.resolve("encoder.png"));
      System.out.println("wrote " + picture);
    }
    return 0;
  }

  /**
   * The mean over images of {@code repeats} estimates with k draws from {@code q}, and the mean over
   * images of their standard deviation.
   */
  private double[] estimates(Vae vae, Tensor x, Posterior q, int k, Rng rng) {
    double[][] byRepeat = new double[repeats][];
    for (int r = 0; r < repeats; r++) {
      byRepeat[r] = ImportanceSampling.logLikelihood(vae, x, q, k, Math.min(k, 500), rng);
    }
    double mean = 0;
    double spread = 0;
    for (int i = 0; i < images; i++) {
      double sum = 0;
      double squares = 0;
      for (double[] estimate : byRepeat) {
        sum += estimate[i];
        squares += estimate[i] * estimate[i];
      }
      double m = sum / repeats;
      mean += m / images;
      spread += Math.sqrt(Math.max(0, (squares - repeats * m * m) / (repeats - 1))) / images;
    }
    return new double[] {mean, spread};
  }

  private static double[] column(double[][] rows, int j) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i][j];
    }
    return out;
  }
}
