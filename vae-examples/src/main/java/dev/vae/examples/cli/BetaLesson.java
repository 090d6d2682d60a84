package dev.vae.examples.cli;

import dev.vae.core.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  @Option(names = "--epochs", defaultValue = "5", description = "Epochs per model (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--model", defaultValue = "--hidden=400 --latent=20",
      description = "The model's options for vae train (default: ${DEFAULT-VALUE}).")
  String model;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--epochs", epochs, 1, "");
    Files.createDirectories(run.run);
    List<String> runs = new ArrayList<>();
    for (String beta : BETAS) {
      Path dir = run.run.resolve("beta-" + beta);
      List<String> train = new ArrayList<>(List.of("train", "--run", dir.toString(), "--epochs",
          Integer.toString(epochs), "--variant", "beta", "--variant-options", "beta=" + beta, "--no-pictures"));
      train.addAll(List.of(model.trim().split("\\s+")));
      // Run again, the lesson goes on from the runs it has (a finished one has nothing left to train).
      boolean trained = Files.exists(dir.resolve(RunDirectory.CHECKPOINTS).resolve("LATEST"));
      step(train, trained ? List.of("--resume") : List.of());
      step(new ArrayList<>(List.of("evaluate", "--run", dir.toString(), "-k", "200", "--subset", "500",
          "--no-pca")), List.of());
      runs.add(dir.toString());
    }
    step(new ArrayList<>(List.of("compare", "--runs", String.join(",", runs), "--labels", "beta " + String.join(
        ",beta ", BETAS), "--examples", "1000", "--out", run.run.resolve("beta.png").toString())), List.of());
    System.out.println("| beta | test -log p(x) (k = 200, 500 images) | -ELBO |");
    System.out.println("|---|---|---|");
    for (int i = 0; i < BETAS.length; i++) {
      List<String> lines = Files.readAllLines(Path.of(runs.get(i)).resolve(RunReport.EVALUATION_FILE));
      System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", BETAS[i], number(lines, "-log p(x)"),
          number(lines, "-ELBO"));
    }
    return 0;
  }

  /** Runs one vae command (with the data and backend options of this one); fails if it fails. */
  private void step(List<String> args, List<String> more) {
    args.addAll(more);
    if (run.dataDir != null) {
      args.addAll(List.of("--data-dir", run.dataDir.toString()));
    }
    if (run.backend != null) {
      args.addAll(List.of("--backend", run.backend));
    }
    int code = VaeCommand.commandLine().execute(args.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("vae " + String.join(" ", args) + " failed with exit code " + code);
    }
  }

  private static String number(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix + " ")).findFirst()
        .map(l -> l.substring(prefix.length() + 1).split(" ")[0]).orElse("");
  }
}
