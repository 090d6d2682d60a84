package dev.vae.core.train;

import dev.vae.core.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Appends one line of per-epoch metrics to a CSV or JSON-lines file as each epoch ends, flushed at
 * once, so a crash loses at most the epoch in progress. A resumed run first cuts the file back to
 * the epochs its checkpoint holds ({@link #keepEpochs}), so each epoch appears exactly once.
 *
 * <p>The columns: {@code epoch} (from 1), {@code step}, each scalar training term as
 * {@code train_<term>}, each measure after the epoch by its name, {@code active_units} and
 * {@code mutual_information} where latent diagnostics are taken, {@code learning_rate},
 * {@code seconds}, {@code examples_per_second}, {@code skipped_batches}, then each element of a
 * vector term numbered from 1 ({@code kl_z1}, {@code kl_z2}, ...).
 */
public final class MetricsLog implements TrainingListener {
  /** The two file formats. */
  public enum Format {
    CSV, JSONL
  }

  private static final System.Logger LOG = System.getLogger(MetricsLog.class.getName());

  private final Path file;
  private final Format format;

  public MetricsLog(Path file, Format format) {
    this.file = file;
    this.format = format;
  }

  /** The format its extension names: .jsonl / .json give JSON lines, anything else CSV. */
  public static MetricsLog forFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return new MetricsLog(file, name.endsWith(".jsonl") || name.endsWith(".json") ? Format.JSONL : Format.CSV);
  }

  /**
   * Prepares the file for a run that has done {@code epochs} epochs: rewrites it (atomically) with
   * only the rows of epochs 1 to {@code epochs}, as a resumed run needs before it trains the later
   * ones again (a last line cut short by a crash goes too). For a new run ({@code epochs} 0) a file
   * already there is set aside as {@code <file>.previous} (the name made unique), never emptied.
   * Nothing happens when there is no file.
   *
   * @throws IOException naming the file and line of a row that gives no epoch number
   */
  public void keepEpochs(int epochs) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    if (epochs == 0) {
      if (Files.size(file) > 0) {
        setAside("previous", "a new run begins");
      }
      return;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    StringBuilder kept = new StringBuilder();
    int complete = lines.length - 1;
    for (int i = 0; i < complete; i++) {
      boolean header = format == Format.CSV && i == 0;
      if (header || epochOf(lines[i], i + 1) <= epochs) {
        kept.append(lines[i]).append('\n');
      }
    }
    if (kept.length() != text.length()) {
      AtomicFiles.writeString(file, kept.toString());
    }
  }

  /** The 1-based epoch a row records: a CSV row's first field, or a JSON line's "epoch". */
  private int epochOf(String row, int line) throws IOException {
    String field = format == Format.CSV ? row.split(",", 2)[0]
        : row.replaceFirst("^\\{\\s*\"epoch\":\\s*(\\d+).*$", "$1");
    try {
      return Integer.parseInt(field.strip());
    } catch (NumberFormatException e) {
      throw new IOException(file + " line " + line + ": expected a row that starts with its epoch number, got '"
          + row + "'", e);
    }
  }

  @Override
  public void epochFinished(EpochMetrics m) {
    List<String> names = new ArrayList<>(List.of("epoch", "step"));
    List<String> values = new ArrayList<>(List.of(Integer.toString(m.epoch()), Long.toString(m.step())));
    m.train().forEach((name, v) -> {
      if (v.length == 1) {
        names.add("train_" + name);
        values.add(num(v[0]));
      }
    });
    m.measured().forEach((name, v) -> {
      names.add(name);
      values.add(num(v));
    });
    if (m.diagnostics().dimension() > 0) {
      names.add("active_units");
      values.add(m.diagnostics().measured() ? Integer.toString(m.diagnostics().activeUnits()) : "NaN");
      names.add("mutual_information");
      values.add(num(m.diagnostics().mutualInformation()));
    }
    names.addAll(List.of("learning_rate", "seconds", "examples_per_second", "skipped_batches"));
    values.addAll(List.of(num(m.learningRate()), num(m.seconds()), num(m.examplesPerSecond()),
        Integer.toString(m.skippedBatches())));
    m.train().forEach((name, v) -> {
      for (int j = 0; v.length > 1 && j < v.length; j++) {
        names.add(name + (j + 1));
        values.add(num(v[j]));
      }
    });
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      setAsideIfOtherColumns(String.join(",", names), m.epoch());
      boolean fresh = !Files.exists(file) || Files.size(file) == 0;
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND)) {
        if (format == Format.CSV) {
          if (fresh) {
            w.write(String.join(",", names));
            w.newLine();
          }
          w.write(String.join(",", values));
        } else {
          StringBuilder json = new StringBuilder("{");
          for (int i = 0; i < names.size(); i++) {
            String v = values.get(i);
            json.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append("\": ")
                .append(v.equals("NaN") || v.contains("Infinity") ? "null" : v);
          }
          w.write(json.append('}').toString());
        }
        w.newLine();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not append metrics of epoch " + m.epoch() + " to " + file, e);
    }
  }

  /**
   * A CSV file whose header names other columns (written by an earlier version, or by a run of
   * another shape) is set aside as {@code <file>.before-epoch-<epoch>}, with a warning, and a new
   * one begins: rows are never written under another header, and no row is lost.
   */
  private void setAsideIfOtherColumns(String header, int epoch) throws IOException {
    if (format != Format.CSV || !Files.exists(file) || Files.size(file) == 0) {
      return;
    }
    String existing;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      existing = r.readLine();
    }
    if (!header.equals(existing)) {
      setAside("before-epoch-" + epoch, "it has other columns than this run writes");
    }
  }

  /** Sets the file aside as {@code <file>.<suffix>} (made unique), with a warning. */
  private void setAside(String suffix, String why) throws IOException {
    Path aside = AtomicFiles.setAside(file, suffix);
    LOG.log(System.Logger.Level.WARNING, file + " is kept as " + aside + ": " + why);
  }

  private static String num(double v) {
    return Double.toString(v);
  }
}
