package dev.vae.examples.cli;

import dev.vae.core.io.AtomicFiles;
import dev.vae.variants.semisupervised.SemiSupervisedEpoch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A semi-supervised run's per-epoch metrics as CSV: a header and one row per epoch, appended as
 * each epoch ends, and on resume cut back to the epochs the newest checkpoint holds.
 */
final class SemiSupervisedMetricsFile {
  static final List<String> COLUMNS = List.of("epoch", "step", "labelled_bound", "cross_entropy",
      "unlabelled_bound", "loss", "labelled_accuracy", "validation_accuracy", "test_accuracy", "seconds");

  private final Path path;

  SemiSupervisedMetricsFile(Path path) {
    this.path = path;
  }

  /** Writes the file anew, atomically: the header and these epochs (none for a new run). */
  void rewrite(List<SemiSupervisedEpoch> epochs) throws IOException {
    StringBuilder text = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    epochs.forEach(e -> text.append(row(e)));
    AtomicFiles.writeString(path, text.toString());
  }

  /** Adds one epoch's row. */
  void append(SemiSupervisedEpoch e) {
    try {
      Files.writeString(path, row(e), StandardOpenOption.APPEND);
    } catch (IOException ex) {
      throw new UncheckedIOException("could not append epoch " + (e.epoch() + 1) + " to " + path, ex);
    }
  }

  /**
   * The epochs before {@code epochsDone} that the file records (later rows, written after the
   * newest checkpoint, are left out: those epochs run again); none if there is no file.
   *
   * @throws IllegalArgumentException naming the line, for a row that is not a row of these columns
   */
  List<SemiSupervisedEpoch> read(int epochsDone) throws IOException {
    List<SemiSupervisedEpoch> epochs = new ArrayList<>();
    if (!Files.exists(path)) {
      return epochs;
    }
    List<String> lines = Files.readAllLines(path);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      try {
        if (f.length != COLUMNS.size()) {
          throw new NumberFormatException(f.length + " fields instead of " + COLUMNS.size());
        }
        int epoch = Integer.parseInt(f[0]) - 1;
        if (epoch < epochsDone) {
          epochs.add(new SemiSupervisedEpoch(epoch, Long.parseLong(f[1]), Double.parseDouble(f[2]),
              Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
              Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9])));
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(path + " line " + (i + 1) + ": expected " + String.join(",", COLUMNS)
            + ", got '" + lines.get(i) + "' (" + e.getMessage() + ")", e);
      }
    }
    return epochs;
  }

  private static String row(SemiSupervisedEpoch e) {
    return String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f%n", e.epoch() + 1, e.step(),
        e.labelledBound(), e.crossEntropy(), e.unlabelledBound(), e.loss(), e.labelledAccuracy(),
        e.validationAccuracy(), e.testAccuracy(), e.seconds());
  }
}
