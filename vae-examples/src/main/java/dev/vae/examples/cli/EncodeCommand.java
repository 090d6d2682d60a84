package dev.vae.examples.cli;

import dev.vae.core.data.DataSet;
import dev.vae.core.data.NpyWriter;
import dev.vae.core.io.AtomicFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vae encode}: each example's posterior mean and variance under a trained run, as a CSV table
 * (with the example's row in the data's file, and its label where the data have labels) and as
 * NumPy arrays, in the run directory.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
    description = "Write each example's posterior mean and variance, as CSV and .npy, with labels where the data"
        + " have them.")
final class EncodeCommand implements Callable<Integer> {
  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "--split", defaultValue = "test",
      description = "test or train: which part of the run's data (default: ${DEFAULT-VALUE}).")
  String split;

  @Override
  public Integer call() throws Exception {
    if (!split.equals("test") && !split.equals("train")) {
      throw new IllegalArgumentException("--split must be test or train, got '" + split + "'");
    }
    try (LoadedRun loaded = LoadedRun.open(run)) {
      boolean test = split.equals("test");
      DataSet data = test ? loaded.data().evaluationTest() : loaded.data().evaluationTrain();
      int[] rows = test ? loaded.data().testRows() : loaded.data().trainRows();
      EncodedImages encoded = EncodedImages.of(loaded.vae(), data, data.size());
      int d = loaded.vae().latentDimension();
      String stem = "encoded-" + split;
      Path csv = run.run.resolve(stem + ".csv");
      AtomicFiles.writeString(csv, table(encoded, data, rows, d));
      NpyWriter.write(run.run.resolve(stem + "-rows.npy"), rows);
      NpyWriter.write(run.run.resolve(stem + "-mean.npy"), encoded.means(), d);
      NpyWriter.write(run.run.resolve(stem + "-variance.npy"), encoded.variances(), d);
      if (data.hasLabels()) {
        NpyWriter.write(run.run.resolve(stem + "-labels.npy"), data.labels());
      }
      System.out.println("encoded " + data.size() + " " + split + " examples into " + csv + " and " + stem
          + "-{rows,mean,variance" + (data.hasLabels() ? ",labels" : "") + "}.npy beside it");
    }
    return 0;
  }

  /** One line per example: its row in the data's file (from 0), its posterior means and variances, its label. */
  private static String table(EncodedImages encoded, DataSet data, int[] rows, int d) {
    StringBuilder out = new StringBuilder("row");
    for (int j = 1; j <= d; j++) {
      out.append(",mean_").append(j);
    }
    for (int j = 1; j <= d; j++) {
      out.append(",variance_").append(j);
    }
    out.append(data.hasLabels() ? ",label\n" : "\n");
    for (int i = 0; i < data.size(); i++) {
      out.append(rows[i]);
      for (int j = 0; j < d; j++) {
        out.append(',').append(String.format(Locale.ROOT, "%.9g", encoded.means()[i][j]));
      }
      for (int j = 0; j < d; j++) {
        out.append(',').append(String.format(Locale.ROOT, "%.9g", encoded.variances()[i][j]));
      }
      out.append(data.hasLabels() ? "," + data.label(i) + "\n" : "\n");
    }
    return out.toString();
  }
}
