package dev.vae.examples.cli;

import dev.vae.api.likelihood.Support;
import dev.vae.core.data.Binarization;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.PpcaModel;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.eval.ImportanceSampling;
import dev.vae.core.eval.Pca;
import dev.vae.core.io.AtomicFiles;
import java.io.IOException;
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

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("-k", k, 0, " (0 skips the estimate)");
    OptionChecks.atLeast("--subset", subset, 0, " (0 evaluates all test images)");
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
        samplesAtOnce = k == 0 ? 1 : ImportanceSampling.chunkFitting(loaded.vae(), LoadedRun.EVALUATION_BATCH,
            freeHeap() / 4, 100);
        System.out.println("decoding " + samplesAtOnce + " samples of " + LoadedRun.EVALUATION_BATCH
            + " test examples at once (--chunk)");
      }
      long started = System.nanoTime();
      Evaluation.Report report = loaded.evaluateOnTest(n, k, samplesAtOnce, pca);
      String results = loaded.vae().describe() + ", step " + loaded.checkpoint().step() + "\n" + report.summary()
          + ppca + baselines;
      System.out.println(results);
      try {
        AtomicFiles.writeString(run.run.resolve(RunReport.EVALUATION_FILE), results + "\n");
      } catch (IOException e) {
        System.err.println("vae evaluate: the results are not kept for the report (" + e + ")");
      }
      System.out.printf(java.util.Locale.ROOT, "evaluated in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }
    return 0;
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
