package dev.vae.examples.cli;

import dev.vae.api.Rng;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.PpcaModel;
import dev.vae.core.data.Procrustes;
import dev.vae.examples.plot.LatentScatter;
import dev.vae.examples.plot.Montage;
import dev.vae.examples.plot.Png;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lesson of the linear VAE and probabilistic PCA (Tipping and Bishop 1999; Lucas et al. 2019):
 * on data drawn from a pPCA model, a VAE with a linear encoder and decoder and one learned σ,
 * trained with two seeds, reaches pPCA's closed-form maximum likelihood, and its decoder's W is the
 * maximum-likelihood W_ML up to an orthogonal R of the latent space, measured by orthogonal
 * Procrustes, as is one seed's W to the other's. Prints the likelihoods and the fits; linear.png
 * shows the entries of each seed's W against W_ML's before and after the rotation.
 */
@Command(name = "linear", mixinStandardHelpOptions = true,
    description = "A linear Gaussian VAE on pPCA data, two seeds: the pPCA maximum likelihood reached, W equal to "
        + "W_ML up to a rotation (Procrustes); linear.png and the numbers.")
final class LinearVaeLesson implements Callable<Integer> {
  private static final double NOISE = 0.5;

  @Option(names = "--run", defaultValue = "runs/lesson-linear", description = "Where linear.png goes (default: "
      + "${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--examples", defaultValue = "5000", description = "Examples drawn (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--data-dimension", defaultValue = "20", description = "m, the data's dimension (default: "
      + "${DEFAULT-VALUE}).")
  int dataDimension;

  @Option(names = "--latent", defaultValue = "4", description = "d, the latent dimension of the data's model and "
      + "the VAE's (default: ${DEFAULT-VALUE}).")
  int latent;

  @Option(names = "--spread", defaultValue = "4", description = "How many times the first column of the data "
      + "model's W is the last in scale, the columns between in geometric steps, so that its principal axes carry "
      + "distinct variances; 1 draws every column alike (default: ${DEFAULT-VALUE}).")
  double spread;

  @Option(names = "--epochs", defaultValue = "150", description = "Epochs per VAE (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the data and of the first VAE; the second "
      + "VAE's is one more (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--examples", examples, 100, "");
    OptionChecks.atLeast("--latent", latent, 1, "");
    OptionChecks.atLeast("--data-dimension", dataDimension, latent + 1, " (above --latent)");
    OptionChecks.atLeast("--epochs", epochs, 1, "");
    OptionChecks.positive("--spread", spread);
    Rng rng = new Rng(seed);
    DataSet data = model(rng.fork(1)).sample(examples, rng.fork(2));
    PpcaModel best = PpcaModel.maximumLikelihood(data, latent);
    LinearVaeFit first = LinearVaeFit.train(data, latent, epochs, seed);
    LinearVaeFit second = LinearVaeFit.train(data, latent, epochs, seed + 1);
    System.out.printf(Locale.ROOT, "%d examples of pPCA with m = %d, d = %d, sigma = %.2f, W's columns N(0, 1) "
        + "scaled from 1 down to 1/%.2f (seed %d); per example, in nats:%n", examples, dataDimension, latent, NOISE,
        spread, seed);
    System.out.printf(Locale.ROOT, "| model | ELBO, exact | log p(x), importance sampled (k = %d) | log p(x), exact "
        + "| sigma |%n", LinearVaeFit.IMPORTANCE_SAMPLES);
    System.out.println("|---|---|---|---|---|");
    System.out.printf(Locale.ROOT, "| pPCA maximum likelihood (closed form) | | | %.4f | %.4f |%n",
        PpcaModel.maximumAverageLogLikelihood(data, latent), best.sigma());
    printFit("linear VAE, seed " + seed, first, data);
    printFit("linear VAE, seed " + (seed + 1), second, data);
    Procrustes toFirst = Procrustes.fit(best.w(), first.decoder().w());
    Procrustes toSecond = Procrustes.fit(best.w(), second.decoder().w());
    Procrustes between = Procrustes.fit(first.decoder().w(), second.decoder().w());
    System.out.println("Orthogonal Procrustes, B = A R with R = argmin ||B - A R|| over orthogonal R:");
    System.out.println("| A, B | ||B - A|| / ||B|| | ||B - A R|| / ||B|| | ||R^T R - I|| | "
        + "||R - nearest signed permutation|| |");
    System.out.println("|---|---|---|---|---|");
    printProcrustes("W_ML, W of seed " + seed, best.w(), first.decoder().w(), toFirst);
    printProcrustes("W_ML, W of seed " + (seed + 1), best.w(), second.decoder().w(), toSecond);
    printProcrustes("W of seed " + seed + ", W of seed " + (seed + 1), first.decoder().w(), second.decoder().w(),
        between);
    Files.createDirectories(run);
    Path picture = Png.write(picture(best.w(), List.of(first, second), List.of(toFirst, toSecond),
        List.of("seed " + seed, "seed " + (seed + 1))), run.resolve("linear.png"));
    System.out.println("wrote " + picture);
    return 0;
  }

  /** W with N(0, 1) entries, column k scaled by spread^(−k/(d−1)); μ with N(0, 1) entries; σ {@value #NOISE}. */
  private PpcaModel model(Rng rng) {
    PpcaModel drawn = PpcaModel.random(dataDimension, latent, NOISE, rng);
    double[][] w = drawn.w();
    for (double[] row : w) {
      for (int k = 1; k < latent; k++) {
        row[k] *= Math.pow(spread, -k / (latent - 1.0));
      }
    }
    return new PpcaModel(w, drawn.mu(), NOISE);
  }

  private static void printFit(String name, LinearVaeFit fit, DataSet data) {
    System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f |%n", name, fit.elbo(), fit.logLikelihood(),
        fit.decoder().averageLogLikelihood(data), fit.decoder().sigma());
  }

  private static void printProcrustes(String pair, double[][] a, double[][] b, Procrustes fit) {
    System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.1e | %.4f |%n", pair, Procrustes.relativeDistance(a, b),
        fit.relativeResidual(), fit.orthogonalityError(), fit.signedPermutationDistance());
  }

  /** The entries of each seed's W against W_ML's as they are, and against those of W_ML R. */
  private static BufferedImage picture(double[][] ml, List<LinearVaeFit> fits, List<Procrustes> rotations,
      List<String> seeds) {
    LatentScatter scatter = LatentScatter.of().withSize(520, 480).withClassNames(seeds);
    return Montage.row(List.of(
        entries(scatter, "W of each VAE against W_ML, entry by entry", "W_ML", ml, fits, null),
        entries(scatter, "... and against W_ML R, R by Procrustes", "W_ML R", ml, fits, rotations)));
  }

  private static BufferedImage entries(LatentScatter scatter, String title, String xLabel, double[][] ml,
      List<LinearVaeFit> fits, List<Procrustes> rotations) {
    int m = ml.length;
    int d = ml[0].length;
    int n = m * d * fits.size();
    double[] x = new double[n];
    double[] y = new double[n];
    int[] labels = new int[n];
    int at = 0;
    for (int s = 0; s < fits.size(); s++) {
      double[][] reference = rotations == null ? ml : rotations.get(s).rotate(ml);
      double[][] w = fits.get(s).decoder().w();
      for (int i = 0; i < m; i++) {
        for (int k = 0; k < d; k++) {
          x[at] = reference[i][k];
          y[at] = w[i][k];
          labels[at++] = s;
        }
      }
    }
    return scatter.render(title, xLabel, "W of the VAE", x, y, labels);
  }
}
