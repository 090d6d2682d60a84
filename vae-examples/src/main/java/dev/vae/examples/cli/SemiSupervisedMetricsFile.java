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
 * each epoch ends, and on resume cut back to the epochs the newest checkpoint holds. Rows written
 * before the test_bound_accuracy column existed are read with that value NaN.
 */
final class SemiSupervisedMetricsFile {
  static final List<String> COLUMNS = List.of("epoch", "step", "labelled_bound", "cross_entropy",
      "unlabelled_bound", "loss", "labelled_accuracy", "validation_accuracy", "test_accuracy",
      "test_bound_accuracy", "seconds");
  private static final int BOUND_ACCURACY_COLUMN = COLUMNS.indexOf("test_bound_accuracy");

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
      List<String> f = new ArrayList<>(List.of(lines.get(i).split(",")));
      try {
        if (f.size() == COLUMNS.size() - 1) {
          f.add(BOUND_ACCURACY_COLUMN, "NaN");
        }
        if (f.size() != COLUMNS.size()) {
          throw new NumberFormatException(f.size() + " fields instead of " + COLUMNS.size());
        }
        int epoch = Integer.parseInt(f.get(0)) - 1;
        if (epoch < epochsDone) {
          epochs.add(new SemiSupervisedEpoch(epoch, Long.parseLong(f.get(1)), number(f, 2), number(f, 3), number(f, 4),
              number(f, 5), number(f, 6), number(f, 7), number(f, 8), number(f, 9), number(f, 10)));
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(path + " line " + (i + 1) + ": expected " + String.join(",", COLUMNS)
            + ", got '" + lines.get(i) + "' (" + e.getMessage() + ")", e);
      }
    }
    return epochs;
  }

  private static double number(List<String> fields, int column) {
    return Double.parseDouble(fields.get(column));
  }

  private static String row(SemiSupervisedEpoch e) {
    return String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f%n", e.epoch() + 1,
        e.step(), e.labelledBound(), e.crossEntropy(), e.unlabelledBound(), e.loss(), e.labelledAccuracy(),
        e.validationAccuracy(), e.testAccuracy(), e.testBoundAccuracy(), e.seconds());
  }
}
