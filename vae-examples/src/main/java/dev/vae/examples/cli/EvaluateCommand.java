package dev.vae.examples.cli;

import dev.vae.api.Rng;
import dev.vae.api.likelihood.Support;
import dev.vae.core.data.Binarization;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.PpcaModel;
import dev.vae.core.eval.AmortisationGap;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.eval.ImportanceSampling;
import dev.vae.core.eval.LatentDiagnostics;
import dev.vae.core.eval.LayerKl;
import dev.vae.core.eval.Pca;
import dev.vae.core.io.AtomicFiles;
import dev.vae.examples.plot.BarChart;
import dev.vae.examples.plot.LineChart;
import dev.vae.examples.plot.Png;
import dev.vae.examples.plot.Series;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vae evaluate}: the importance-sampled test −log p(x), the ELBO's terms, active units and
 * the reconstruction error next to PCA's with as many components as the model has latent units,
 * PCA fitted on the training set in the representation the test images are scored in (binarised
 * once with the run's seed when the run's data are binary, grey otherwise).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Test -log p(x) by importance sampling, ELBO terms, active units and a PCA baseline.")
final class EvaluateCommand implements Callable<Integer> {
  /** The most columns whose m × m covariance the PCA baselines fit (8 bytes each: 128 MiB). */
  private static final int MAX_PCA_COLUMNS = 4096;

  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = {"-k", "--importance-samples"}, defaultValue = "1000",
      description = "Importance samples per test image (default: ${DEFAULT-VALUE}); 0 skips the estimate.")
  int k;

  @Option(names = "--chunk", defaultValue = "auto", description = "Importance samples of each of 100 test examples"
      + " decoded at once (default: ${DEFAULT-VALUE}: at most 100, as many as a quarter of the JVM's free heap is"
      + " expected to hold, which is where the CPU backend keeps its arrays; on a GPU give a number).")
  String chunk;

  @Option(names = "--subset", defaultValue = "2000",
      description = "Evaluate the first N test examples (default: ${DEFAULT-VALUE}); 0: all of them.")
  int subset;

  @Option(names = "--no-pca", description = "Skip the PCA baseline.")
  boolean noPca;

  @Option(names = "--amortisation-gap", defaultValue = "0", paramLabel = "N",
      description = "Also split the bound's gap on the first N test examples (default: ${DEFAULT-VALUE}, off):"
          + " optimise each one's posterior alone, from the encoder's, and report the approximation gap"
          + " log p(x) - ELBO(q*) and the amortisation gap ELBO(q*) - ELBO(q_encoder); draws amortisation-gap.png."
          + " The optimised log-variances are free of a variant's bounds (delta-VAE's).")
  int gapExamples;

  @Option(names = "--gap-steps", defaultValue = "300",
      description = "Adam steps (learning rate 0.01, 10 draws each) of each example's posterior for"
          + " --amortisation-gap (default: ${DEFAULT-VALUE}).")
  int gapSteps;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("-k", k, 0, " (0 skips the estimate)");
    OptionChecks.atLeast("--subset", subset, 0, " (0 evaluates all test images)");
    OptionChecks.atLeast("--amortisation-gap", gapExamples, 0, " (0 leaves it out)");
    OptionChecks.atLeast("--gap-steps", gapSteps, 1, "");
    int samplesAtOnce = chunk.equals("auto") ? 0 : OptionChecks.positiveInteger("--chunk", chunk,
        "auto or a number of samples");
    try (LoadedRun loaded = LoadedRun.open(run)) {
      DataSet test = loaded.data().evaluationTest();
      int n = subset > 0 ? Math.min(subset, test.size()) : test.size();
      DataSet train = loaded.data().evaluationTrain();
      int d = loaded.vae().latentDimension();
      String baselines = noPca ? "" : baselinesSkipped(train.features(), d);
      Pca pca = noPca || !baselines.isEmpty() ? null : Pca.fit(train.toArray(), train.size(), train.features(), d);
      boolean density = pca != null && loaded.data().binarization() == Binarization.NONE
          && loaded.vae().likelihood().support() == Support.REAL;
      String ppca = density ? "\n" + ppcaLine(train, test, n, d) : "";
      if (samplesAtOnce == 0) {
        samplesAtOnce = k == 0 && gapExamples == 0 ? 1
            : ImportanceSampling.chunkFitting(loaded.vae(), LoadedRun.EVALUATION_BATCH, freeHeap() / 4, 100);
        System.out.println("decoding " + samplesAtOnce + " samples of " + LoadedRun.EVALUATION_BATCH
            + " test examples at once (--chunk)");
      }
      long started = System.nanoTime();
      Evaluation.Report report = loaded.evaluateOnTest(n, k, samplesAtOnce, pca);
      Optional<LayerKl> layerKl = loaded.layersOnTest(n);
      String layers = layerKl.isEmpty() ? ""
          : "\n" + layerKl.get().summary() + "\npicture: " + layersPicture(layerKl.get());
      String results = loaded.vae().describe() + ", step " + loaded.checkpoint().step() + "\n" + report.summary()
          + layers + ppca + baselines;
      System.out.println(results);
      keep(results);
      if (gapExamples > 0) { // after the results are kept: a gap that fails loses nothing measured before it
        String gap = amortisationGap(loaded, Math.min(gapExamples, test.size()),
            samplesAtOnce * LoadedRun.EVALUATION_BATCH);
        System.out.println(gap);
        keep(results + "\n" + gap);
      }
      System.out.printf(java.util.Locale.ROOT, "evaluated in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }
    return 0;
  }

  /** {@code layers.png}: each unit's Cov_x E[z_j|x], layer by layer from z up, with the layers' KLs. */
  private Path layersPicture(LayerKl layers) throws IOException {
    List<String> units = new ArrayList<>();
    List<Double> spread = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    for (int l = 0; l < layers.layers().size(); l++) {
      LatentDiagnostics latent = layers.layers().get(l).latent();
      for (int j = 0; j < latent.dimension(); j++) {
        units.add(LayerKl.unit(l) + (l == 0 ? "" : "_") + (j + 1));
        spread.add(latent.posteriorMeanVariance()[j]);
      }
      titles.add(String.format(java.util.Locale.ROOT, "layer %d KL %.1f nats, %d of %d active", l + 1,
          layers.layers().get(l).kl(), latent.activeUnits(), latent.dimension()));
    }
    String title = "Cov_x E[z_j|x] per unit: " + String.join("; ", titles);
    return Png.write(BarChart.of(title, "unit (layer 1, then the layers above)", "Cov_x E[z_j|x]")
        .withSize(1100, 420).render(units, spread.stream().mapToDouble(Double::doubleValue).toArray()),
        run.run.resolve("layers.png"));
  }

  /** Writes the results for the run's report; a failure to write is said, not fatal. */
  private void keep(String results) {
    try {
      AtomicFiles.writeString(run.run.resolve(RunReport.EVALUATION_FILE), results + "\n");
    } catch (IOException e) {
      System.err.println("vae evaluate: the results are not kept for the report (" + e + ")");
    }
  }

  /**
   * The gaps on the first n test examples, at most {@code rowsAtOnce} latent codes decoded at once,
   * drawn as the optimisation's curve beside the two bounds.
   */
  private String amortisationGap(LoadedRun loaded, int n, int rowsAtOnce) throws IOException {
    AmortisationGap.Settings settings = new AmortisationGap.Settings(gapSteps, 10, 0.01, 100, k > 0 ? k : 1000,
        rowsAtOnce);
    AmortisationGap.Result gap = AmortisationGap.measure(loaded.vae(), loaded.data().firstTestImages(n), n, settings,
        new Rng(loaded.config().seed()).fork(98));
    int stride = (gapSteps + 49) / 50; // at most 50 points, each the mean of its window of steps
    int points = (gapSteps + stride - 1) / stride;
    double[] curve = gap.elboByStep();
    double[] steps = new double[points];
    double[] optimised = new double[points];
    for (int p = 0; p < points; p++) {
      int end = Math.min(gapSteps, (p + 1) * stride);
      steps[p] = end;
      for (int s = p * stride; s < end; s++) {
        optimised[p] += curve[s] / (end - p * stride);
      }
    }
    double[] encoder = new double[points];
    double[] logLikelihood = new double[points];
    java.util.Arrays.fill(encoder, gap.encoderElbo());
    java.util.Arrays.fill(logLikelihood, gap.logLikelihood());
    Path picture = Png.write(LineChart.of(String.format(java.util.Locale.ROOT, "amortisation gap %.2f nats,"
        + " approximation gap %.2f nats", gap.amortisationGap(), gap.approximationGap()),
        "Adam step of each test example's own q (" + n + " examples)", "nats per example").withMarkers(false)
        .render(steps, List.of(new Series("ELBO of the optimised q", optimised),
            new Series("ELBO of the encoder's q", encoder), new Series("log p(x)", logLikelihood))),
        run.run.resolve("amortisation-gap.png"));
    return gap.summary() + "\npicture: " + picture;
  }

  /** The heap not held by what is loaded (the data, the PCA baseline), after a collection. */
  private static long freeHeap() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
  }

  /** Why the PCA baselines cannot be fitted to data of m columns with d components, or empty when they can. */
  private static String baselinesSkipped(int m, int d) {
    if (d >= m) {
      return "\nPCA baselines skipped: " + d + " components of " + m + " columns would reconstruct every column";
    }
    return m > MAX_PCA_COLUMNS ? "\nPCA baselines skipped: the covariance of " + m + " columns would not fit the heap"
        + " (at most " + MAX_PCA_COLUMNS + ")" : "";
  }

  /**
   * Probabilistic PCA with as many components as the VAE has latent dimensions, fitted by maximum
   * likelihood to the training set: its test -log p(x), a density the VAE's can be read against
   * when the data are real-valued (not binarised).
   */
  private static String ppcaLine(DataSet train, DataSet test, int n, int d) {
    double nll = -PpcaModel.maximumLikelihood(train, d).averageLogLikelihood(test.subset(RunData.positions(n)));
    return String.format(java.util.Locale.ROOT, "-log p(x) of probabilistic PCA (%d components, fitted to the training"
        + " set) %.3f nats", d, nll);
  }
}
