package dev.vae.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A metrics CSV written by {@code MetricsLog}, read back by column for the training curves. */
record MetricsTable(List<String> header, List<double[]> rows) {
  static MetricsTable read(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    if (lines.isEmpty()) {
      throw new IOException(csv + ": empty metrics file");
    }
    List<String> header = Arrays.asList(lines.get(0).split(","));
    List<double[]> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",");
      if (cells.length != header.size()) {
        throw new IOException(csv + ": line " + (i + 1) + " has " + cells.length + " values, the header "
            + header.size());
      }
      rows.add(Arrays.stream(cells).mapToDouble(Double::parseDouble).toArray());
    }
    return new MetricsTable(header, rows);
  }

  double[] column(String name) {
    int k = header.indexOf(name);
    if (k < 0) {
      throw new IllegalArgumentException("no column '" + name + "' in the metrics; have " + header);
    }
    return rows.stream().mapToDouble(r -> r[k]).toArray();
  }

  /** The last row's values of every column whose name starts with the prefix, in order. */
  double[] lastRowPrefixed(String prefix) {
    double[] last = rows.get(rows.size() - 1);
    List<Double> values = new ArrayList<>();
    for (int k = 0; k < header.size(); k++) {
      if (header.get(k).startsWith(prefix)) {
        values.add(last[k]);
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
