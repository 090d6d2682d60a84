package dev.vae.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The lesson of both sides of β: the same VAE trained with the KL weighted by β = 0 (the
 * autoencoder limit), 0.1, 1, 4 and 16, each run in its own directory through {@code vae train},
 * evaluated with {@code vae evaluate} and put side by side by {@code vae compare} (reconstructions,
 * samples in both modes, the latent space, KL, active units, I(x; z)). Small β reconstructs well and
 * leaves the prior's holes that ANCESTRAL samples fall into; large β fills the prior and blurs
 * reconstructions, down to no active unit. Below 1 the objective is no lower bound on log p(x).
 */
@Command(name = "beta", mixinStandardHelpOptions = true,
    description = "The same VAE with beta = 0, 0.1, 1, 4, 16 side by side: beta.png and a table of the numbers.")
final class BetaLesson implements Callable<Integer> {
  private static final String[] BETAS = {"0", "0.1", "1", "4", "16"};

  @Mixin
  RunOptions run = new RunOptions();

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--epochs", defaultValue = "5", description = "Epochs per model (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--model", defaultValue = "--hidden=400 --latent=20",
      description = "The model's options for vae train (default: ${DEFAULT-VALUE}).")
  String model;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--epochs", epochs, 1, "");
    LessonRuns lesson = new LessonRuns(run, spec);
    List<Path> runs = new ArrayList<>();
    for (String beta : BETAS) {
      Path dir = lesson.train("beta-" + beta, LessonRuns.trainOptions(epochs, model, "--variant", "beta",
          "--variant-options", "beta=" + beta));
      lesson.evaluate(dir, "-k", "200", "--subset", "500", "--no-pca");
      runs.add(dir);
    }
    lesson.compare(runs, Arrays.stream(BETAS).map(b -> "beta " + b).toList(), "beta.png");
    System.out.println("| beta | test -log p(x) (k = 200, 500 images) | -ELBO |");
    System.out.println("|---|---|---|");
    for (int i = 0; i < BETAS.length; i++) {
      System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", BETAS[i], LessonRuns.evaluated(runs.get(i), "-log p(x)"),
          LessonRuns.evaluated(runs.get(i), "-ELBO"));
    }
    return 0;
  }
}
