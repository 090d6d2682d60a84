package dev.vae.examples.cli;

import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.CountData;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.train.EpochMetrics;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.VaeTraining;
import dev.vae.examples.plot.LineChart;
import dev.vae.examples.plot.Png;
import dev.vae.examples.plot.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vae counts}: the count-data example. Draws gene-expression-like counts from a known
 * low-dimensional model (negative binomial, so over-dispersed: variance μ + μ²/r), trains the same
 * VAE with a Poisson and with a negative-binomial likelihood, and reports each one's test
 * −log p(x) and ELBO terms, with the training curves in {@code counts.png}. The Poisson cannot
 * express the extra variance; the negative binomial learns it.
 */
@Command(name = "counts", mixinStandardHelpOptions = true,
    description = "Count-data example: synthetic over-dispersed counts, a VAE with a Poisson and one with a negative "
        + "binomial likelihood, their test -log p(x) side by side and counts.png.")
final class CountsCommand implements Callable<Integer> {
  private static final List<String> LIKELIHOODS = List.of("poisson", "negative-binomial");

  @Option(names = "--run", defaultValue = "runs/counts", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--cells", defaultValue = "4000", description = "Examples, a fifth held out for testing (default: "
      + "${DEFAULT-VALUE}).")
  int cells;

  @Option(names = "--genes", defaultValue = "200", description = "Counts per example (default: ${DEFAULT-VALUE}).")
  int genes;

  @Option(names = "--true-latent", defaultValue = "5",
      description = "Latent dimension of the model that draws the data (default: ${DEFAULT-VALUE}).")
  int trueLatent;

  @Option(names = "--dispersion", defaultValue = "2",
      description = "Negative-binomial dispersion r of the data; large r approaches Poisson (default: ${DEFAULT-VALUE}).")
  double dispersion;

  @Option(names = "--latent", defaultValue = "5", description = "The VAEs' latent dimension (default: ${DEFAULT-VALUE}).")
  int latent;

  @Option(names = "--hidden", split = ",", defaultValue = "128", description = "Hidden widths (default: "
      + "${DEFAULT-VALUE}).")
  int[] hidden;

  @Option(names = "--epochs", defaultValue = "30", description = "Epochs per model (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = {"-k", "--importance-samples"}, defaultValue = "200",
      description = "Importance samples for test -log p(x) (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the data, the models and the noise (default: "
      + "${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--backend", description = "Compute backend by name (default: the best available).")
  String backend;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--cells", cells, 10, " (a fifth of them are held out for testing)");
    OptionChecks.atLeast("--genes", genes, 1, "");
    OptionChecks.atLeast("--true-latent", trueLatent, 1, "");
    OptionChecks.positive("--dispersion", dispersion);
    OptionChecks.atLeast("--latent", latent, 1, "");
    OptionChecks.atLeast("--epochs", epochs, 1, "");
    OptionChecks.atLeast("-k", k, 1, " (importance samples per test example)");
    CountData counts = SyntheticData.negativeBinomialCounts(cells, genes, trueLatent, dispersion, new Rng(seed));
    DataSet.Split split = counts.counts().split(0.2, new Rng(seed).fork(7));
    Engine engine = RunOptions.engineFor(backend);
    TrainerConfig config = TrainerConfig.defaults().toBuilder().epochs(epochs).batchSize(128).seed(seed).build();
    Files.createDirectories(run);
    System.out.printf(Locale.ROOT, "%d cells x %d genes, negative binomial with dispersion %.3g from a %d-d latent; "
        + "%d for training, %d for testing%n", cells, genes, dispersion, trueLatent, split.train().size(),
        split.validation().size());
    List<Series> curves = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    for (String name : LIKELIHOODS) {
      try (Vae vae = new VaeBuilder(engine).likelihood(LikelihoodRegistry.discover().create(name, genes, Options.none()))
          .hidden(hidden).latent(latent).seed(seed).build(); Adam adam = Adam.adam(engine, config.learningRate())) {
        Batches batches = Batches.of(split.train()).batchSize(config.batchSize()).seed(seed).build();
        List<EpochMetrics> history = new Trainer(vae, adam, config).fit(batches, null);
        curves.add(new Series(name, history.stream().mapToDouble(m -> -m.train(VaeTraining.ELBO)).toArray()));
        DataSet test = split.validation();
        Evaluation.Report r = Evaluation.run(vae, test.toArray(), test.size(), 200, k, 50, null,
            new Rng(seed).fork(99));
        rows.add(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %d of %d |", name, r.negativeLogLikelihood(),
            r.negativeElbo(), r.kl(), r.latent().activeUnits(), latent));
      }
    }
    System.out.println("| likelihood | test -log p(x) | test -ELBO | KL | active units |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
    Path picture = Png.write(LineChart.of("training -ELBO per epoch on over-dispersed counts (nats)", "epoch",
        "-ELBO").render(curves), run.resolve("counts.png"));
    System.out.println("wrote " + picture);
    return 0;
  }
}
