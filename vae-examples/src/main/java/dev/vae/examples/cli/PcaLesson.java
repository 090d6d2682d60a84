package dev.vae.examples.cli;

import dev.vae.core.data.Binarization;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.run.RunDirectory;
import dev.vae.core.train.TrainingCheckpoints;
import dev.vae.examples.plot.LineChart;
import dev.vae.examples.plot.Png;
import dev.vae.examples.plot.Series;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The lesson of a VAE against PCA: the same MNIST VAE trained with d = 2, 5, 10, 20 and 50 latent
 * dimensions, each run in its own directory through {@code vae train} and evaluated with
 * {@code vae evaluate}, whose baseline is PCA with d components. Both are fitted on training images
 * and scored on test images in one representation: for the default Bernoulli model binary pixels
 * (the VAE trains on draws made anew each epoch, PCA is fitted on one draw with the run's seed, and
 * both are scored on the test images binarised once with that seed), by the squared error per
 * image of the VAE's mean decoding of its posterior mean and of PCA's projection. Prints the table
 * and draws both errors against d.
 */
@Command(name = "pca", mixinStandardHelpOptions = true,
    description = "The MNIST VAE and PCA with d = 2, 5, 10, 20, 50: squared reconstruction error per test image of "
        + "each, fitted and scored on binary pixels; pca.png and a table.")
final class PcaLesson implements Callable<Integer> {
  private static final int[] LATENTS = {2, 5, 10, 20, 50};
  private static final String VAE_ERROR = "squared reconstruction error per example: VAE (mean decoder)";

  @Mixin
  RunOptions run = new RunOptions();

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--epochs", defaultValue = "20", description = "Epochs per model (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--model", defaultValue = "--hidden=400",
      description = "The model's options for vae train besides --latent (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--subset", defaultValue = "0",
      description = "Score on the first N test images (default: ${DEFAULT-VALUE}, all of them).")
  int subset;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--epochs", epochs, 1, "");
    OptionChecks.atLeast("--subset", subset, 0, " (0 scores all test images)");
    LessonRuns lesson = new LessonRuns(run, spec);
    double[] vae = new double[LATENTS.length];
    double[] pca = new double[LATENTS.length];
    Path last = null;
    for (int i = 0; i < LATENTS.length; i++) {
      String d = Integer.toString(LATENTS[i]);
      last = lesson.train("latent-" + d, LessonRuns.trainOptions(epochs, model, "--latent", d));
      lesson.evaluate(last, "-k", "0", "--subset", Integer.toString(subset));
      vae[i] = Double.parseDouble(LessonRuns.evaluated(last, VAE_ERROR));
      pca[i] = Double.parseDouble(LessonRuns.evaluated(last, "PCA (" + d + " components)"));
    }
    System.out.println("Squared reconstruction error per test image: " + representation(last) + ":");
    System.out.println("| d | VAE (mean decoding) | PCA (d components) |");
    System.out.println("|---|---|---|");
    for (int i = 0; i < LATENTS.length; i++) {
      System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f |%n", LATENTS[i], vae[i], pca[i]);
    }
    double[] x = Arrays.stream(LATENTS).asDoubleStream().toArray();
    Path picture = Png.write(LineChart.of("squared reconstruction error per test image", "latent dimension d = PCA "
        + "components: " + Arrays.toString(LATENTS).replaceAll("[\\[\\]]", "") + " (log scale)", "squared error").withLogX(true).render(x, List.of(new Series("VAE (mean decoding)", vae),
        new Series("PCA", pca))), lesson.directory().resolve("pca.png"));
    System.out.println("wrote " + picture);
    return 0;
  }

  /** What the VAE and PCA were fitted on and scored on: binary pixels, or grey values. */
  private static String representation(Path dir) throws java.io.IOException {
    Checkpoint c = RunDirectory.of(dir, TrainCommand.COMMAND).newestCheckpoint();
    Binarization binarization = RunData.binarization(c);
    long seed = TrainingCheckpoints.trainerConfig(c).seed();
    return binarization == Binarization.NONE ? "both fitted and scored on grey values"
        : "both on binary pixels (the VAE trained on the training images binarised "
            + (binarization == Binarization.DYNAMIC ? "anew each epoch" : "once with seed " + seed)
            + ", PCA fitted on them binarised once with seed " + seed + ", both scored on the test images binarised "
            + "once with seed " + seed + ")";
  }
}
