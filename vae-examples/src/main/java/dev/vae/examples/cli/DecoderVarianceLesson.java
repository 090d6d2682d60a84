package dev.vae.examples.cli;

import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.likelihoods.DiagonalGaussian;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The lesson of the decoder's variance: the same VAE on grey (continuous) MNIST with a Gaussian
 * p(x|z) whose σ is fixed at 1, fixed at 0.05, learned per pixel, predicted by the decoder per
 * example and pixel, and calibrated (σ-VAE), each trained by {@code vae train}, evaluated and put
 * side by side by {@code vae compare}. A sixth model shows that a fixed σ is a weight on the KL:
 * −log N(x; μ, σ²) = |x − μ|²/(2σ²) + const, so the loss with σ = 0.05 is 2σ² = 1/200 times the
 * loss with σ = 1/√2 and β = 2 · 0.05² = 0.005, plus a constant: the same optimum, and under Adam,
 * which does not see the scale of the loss, nearly the same path to it.
 */
@Command(name = "decoder-variance", mixinStandardHelpOptions = true,
    description = "A Gaussian VAE on grey MNIST with sigma fixed at 1 and at 0.05, learned, predicted by the decoder "
        + "and calibrated, and sigma 0.05 beside beta = 2 sigma^2: decoder-variance.png and a table of the numbers.")
final class DecoderVarianceLesson implements Callable<Integer> {
  /** The σ that makes −log N(x; μ, σ²) = |x − μ|² + const, so β alone weighs the KL. */
  private static final String UNIT_SQUARED_ERROR_SIGMA = "0.7071067811865476";

  /** One model of the lesson: its directory, its caption and its options for {@code vae train}. */
  private record Model(String name, String label, String likelihoodOptions, double beta) {}

  private static final List<Model> MODELS = List.of(
      new Model("sigma-1", "sigma fixed 1", "sigma=1", 1),
      new Model("sigma-0.05", "sigma fixed 0.05", "sigma=0.05", 1),
      new Model("learned", "sigma learned per pixel", "sigma=learned,min-sigma=0.01", 1),
      new Model("decoder", "sigma from the decoder", "sigma=decoder,min-sigma=0.01", 1),
      new Model("calibrated", "sigma calibrated", "sigma=calibrated,min-sigma=0.01", 1),
      new Model("beta-0.005", "sigma 0.707 + beta 0.005", "sigma=" + UNIT_SQUARED_ERROR_SIGMA, 0.005));

  private static final int MNIST_TEST_IMAGES = 10000;

  @Mixin
  RunOptions run = new RunOptions();

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--epochs", defaultValue = "10", description = "Epochs per model (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--model", defaultValue = "--hidden=400 --latent=20",
      description = "The model's options for vae train (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--examples", defaultValue = "500",
      description = "Test images the numbers are measured on (default: ${DEFAULT-VALUE}).")
  int examples;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--epochs", epochs, 1, "");
    OptionChecks.atLeast("--examples", examples, 2, " (test images the numbers are measured on)");
    if (examples > MNIST_TEST_IMAGES) {
      throw new IllegalArgumentException("--examples must be at most " + MNIST_TEST_IMAGES + ", the test images MNIST "
          + "has; got " + examples);
    }
    LessonRuns lesson = new LessonRuns(run, spec);
    List<Path> runs = new ArrayList<>();
    for (Model m : MODELS) {
      String variant = m.beta() == 1 ? "elbo" : "beta";
      Path dir = lesson.train(m.name(), LessonRuns.trainOptions(epochs, model, "--binarize", "none", "--likelihood",
          "gaussian", "--likelihood-options", m.likelihoodOptions(), "--variant", variant, "--variant-options",
          m.beta() == 1 ? "" : "beta=" + m.beta()));
      lesson.evaluate(dir, "-k", "200", "--subset", Integer.toString(examples), "--no-pca");
      runs.add(dir);
    }
    lesson.compare(runs, MODELS.stream().map(Model::label).toList(), "decoder-variance.png");
    System.out.printf(Locale.ROOT, "| model | test -log p(x) (k = 200, %d images) | -ELBO | KL | active units "
        + "| squared error per image | mean sigma |%n", examples);
    System.out.println("|---|---|---|---|---|---|---|");
    List<Decoded> decoded = new ArrayList<>();
    for (Path dir : runs) {
      decoded.add(decoded(dir));
    }
    for (int i = 0; i < MODELS.size(); i++) {
      Path dir = runs.get(i);
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.4f |%n", MODELS.get(i).label(),
          LessonRuns.evaluated(dir, "-log p(x)"), LessonRuns.evaluated(dir, "-ELBO"), LessonRuns.evaluated(dir, "KL"),
          LessonRuns.evaluated(dir, "active units"), LessonRuns.evaluated(dir, "VAE (mean decoder)"),
          decoded.get(i).meanSigma());
    }
    System.out.printf(Locale.ROOT, "mean |difference| of MEAN reconstructions (pixel values in [0, 1]): sigma 0.05 "
        + "against sigma 1/sqrt(2) with beta = 2 * 0.05^2 = 0.005: %.5f; sigma 0.05 against sigma 1: %.5f%n",
        decoded.get(1).difference(decoded.get(5)), decoded.get(1).difference(decoded.get(0)));
    return 0;
  }

  /**
   * What a run's decoder gives at the posterior means of the first test images: the mean of σ over
   * those images and their pixels (a fixed σ is itself), and the MEAN reconstructions.
   */
  private record Decoded(double meanSigma, float[] reconstructions) {
    /** Mean absolute difference between these reconstructions and another run's of the same images. */
    double difference(Decoded other) {
      double sum = 0;
      for (int i = 0; i < reconstructions.length; i++) {
        sum += Math.abs(reconstructions[i] - other.reconstructions[i]);
      }
      return sum / reconstructions.length;
    }
  }

  private Decoded decoded(Path dir) throws java.io.IOException {
    try (LoadedRun loaded = LoadedRun.open(run.withRun(dir))) {
      Vae vae = loaded.vae();
      Engine engine = vae.engine();
      try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
        Tensor x = engine.fromHost(loaded.data().firstTestImages(examples), Shape.of(examples,
            vae.dataDimension())).cast(vae.dtype());
        DecoderOutput out = vae.decode(vae.encode(x).pointEstimate());
        return new Decoded(((DiagonalGaussian) vae.likelihood()).sigma(out).mean().item(),
            vae.likelihood().mean(out).toFloats());
      }
    }
  }
}
