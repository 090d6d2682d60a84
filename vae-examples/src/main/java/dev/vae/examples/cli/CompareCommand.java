package dev.vae.examples.cli;

import dev.vae.core.eval.Evaluation;
import dev.vae.examples.plot.Montage;
import dev.vae.examples.plot.Png;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vae compare}: trained runs side by side, one column each: reconstructions, samples in both
 * modes, the latent scatter, and the numbers that tell the runs apart (reconstruction, KL, its
 * smallest dimension, active units, I(x; z)) measured on the same test images. Shows trade-offs
 * such as beta's, or a collapsed posterior next to one with a committed rate.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Put trained runs side by side in one PNG (reconstructions, samples, latent scatter) and print "
        + "their reconstruction, KL, active units and I(x; z) on the same test images.")
final class CompareCommand implements Callable<Integer> {
  @Option(names = "--runs", split = ",", required = true, description = "Run directories to compare, comma-separated.")
  List<Path> runs;

  @Option(names = "--labels", split = ",", description = "One caption per run (default: the directory names).")
  List<String> labels;

  @Option(names = "--out", defaultValue = "compare.png", description = "PNG to write (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--examples", defaultValue = "1000",
      description = "Test images the numbers are measured on (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--backend", description = "Compute backend by name (default: the best available).")
  String backend;

  @Option(names = "--data-dir", description = "Directory with the MNIST IDX files.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--examples", examples, 1, " (test images the numbers are measured on)");
    if (labels != null && labels.size() != runs.size()) {
      throw new IllegalArgumentException("--labels gives " + labels.size() + " captions for " + runs.size()
          + " runs; give one per run or none");
    }
    List<BufferedImage> columns = new ArrayList<>();
    System.out.println("| run | reconstruction log p(x|z) | KL | smallest KL of a dimension | active units | I(x; z) |");
    System.out.println("|---|---|---|---|---|---|");
    for (int i = 0; i < runs.size(); i++) {
      String label = labels == null ? runs.get(i).getFileName().toString() : labels.get(i);
      try (LoadedRun loaded = LoadedRun.open(options(runs.get(i)))) {
        int n = Math.min(examples, loaded.data().evaluationTest().size());
        Evaluation.Report r = loaded.evaluateOnTest(n, 0, 1, null);
        double smallestKl = Arrays.stream(r.klPerDimension(), 0, r.latent().dimension()).min().orElse(Double.NaN);
        String smallest = Double.isNaN(smallestKl) ? "n/a (the prior has no closed-form KL)"
            : String.format(Locale.ROOT, "%.3f", smallestKl);
        String numbers = String.format(Locale.ROOT, "%s | %.2f | %.2f | %s | %d of %d | %.2f", label,
            r.reconstructionLogLikelihood(), r.kl(), smallest, r.latent().activeUnits(), r.latent().dimension(),
            r.latent().mutualInformation());
        System.out.println("| " + numbers + " |");
        Pictures pictures = new Pictures(runs.get(i), loaded.vae(), loaded.data(), loaded.config().seed());
        String caption = String.format(Locale.ROOT, "%s: KL %.1f, active %d/%d, I(x;z) %.2f", label, r.kl(),
            r.latent().activeUnits(), r.latent().dimension(), r.latent().mutualInformation());
        columns.add(Montage.titled(caption, Montage.column(List.of(pictures.reconstructionsImage(8),
            pictures.samplesImage(16, 4), pictures.latentImage(1000)))));
      }
    }
    System.out.println("wrote " + Png.write(Montage.row(columns), out));
    return 0;
  }

  private RunOptions options(Path run) {
    RunOptions options = new RunOptions();
    options.run = run;
    options.backend = backend;
    options.dataDir = dataDir;
    return options;
  }
}
