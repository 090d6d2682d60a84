package dev.vae.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads a table of numbers from a CSV file with a header row: the chosen columns (by name, in the
 * order asked for) become the features, and an optional label column the class labels. Fields are
 * separated by a delimiter (comma by default), may be quoted with {@code "} ({@code ""} inside
 * quotes is a quote), and have surrounding spaces trimmed; blank lines are skipped. A record must
 * fit on one line.
 *
 * <p>Every problem is a {@link DataFormatException} naming the file, the 1-based line and the
 * column: a missing header, an unknown or duplicated column name, a row with the wrong number of
 * fields, an empty, non-numeric or non-finite value, or a bad label.
 *
 * <p>Configuration methods return a new loader; a loader is immutable and reusable:
 *
 * <pre>{@code
 * CsvLoader loader = CsvLoader.columns("sepal_length", "sepal_width").withLabel("species", "setosa", "versicolor", "virginica");
 * CsvLoader.Standardized train = loader.loadStandardized(trainFile);
 * DataSet test = loader.load(testFile, train.standardization());
 * }</pre>
 */
public final class CsvLoader {
  private final List<String> columns;
  private final String labelColumn;
  private final List<String> labelClasses;
  private final char delimiter;

  private CsvLoader(List<String> columns, String labelColumn, List<String> labelClasses, char delimiter) {
    this.columns = columns;
    this.labelColumn = labelColumn;
    this.labelClasses = labelClasses;
    this.delimiter = delimiter;
  }

  /** A loader taking every column except the label column as a feature, in file order. */
  public static CsvLoader allColumns() {
    return new CsvLoader(null, null, null, ',');
  }

  /** A loader taking the named columns as features, in this order. */
  public static CsvLoader columns(String... names) {
    return columns(List.of(names));
  }

  /** A loader taking the named columns as features, in this order. */
  public static CsvLoader columns(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("choose at least one feature column");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("a feature column is named twice in " + names);
    }
    return new CsvLoader(List.copyOf(names), null, null, ',');
  }

  /** Reads labels from this column: each value a non-negative integer class index. */
  public CsvLoader withLabel(String column) {
    return new CsvLoader(columns, Objects.requireNonNull(column, "column"), null, delimiter);
  }

  /**
   * Reads labels from this column, each value one of {@code classes}, which gives its class index
   * (the first class is 0): the same mapping for every file read with this loader.
   */
  public CsvLoader withLabel(String column, String... classes) {
    if (classes.length == 0) {
      throw new IllegalArgumentException("name at least one class for label column '" + column + "'");
    }
    List<String> names = List.of(classes);
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("a class is named twice in " + names);
    }
    return new CsvLoader(columns, Objects.requireNonNull(column, "column"), names, delimiter);
  }

  /** Separates fields with this character instead of a comma. */
  public CsvLoader withDelimiter(char c) {
    if (c == '"' || c == '\n' || c == '\r') {
      throw new IllegalArgumentException("'" + c + "' cannot be a field delimiter");
    }
    return new CsvLoader(columns, labelColumn, labelClasses, c);
  }

  /** The data as it is in the file, named after the file (without its extension). */
  public DataSet load(Path file) {
    return read(file);
  }

  /** The data standardised with parameters fitted on other data (typically the training set). */
  public DataSet load(Path file, Standardization standardization) {
    return standardization.apply(read(file));
  }

  /** The data standardised with parameters fitted on it, and those parameters. */
  public Standardized loadStandardized(Path file) {
    DataSet raw = read(file);
    Standardization s = Standardization.fit(raw);
    return new Standardized(s.apply(raw), s);
  }

  /**
   * Data standardised with parameters fitted on it.
   *
   * @param data the standardised data
   * @param standardization the fitted parameters, to apply to other data
   */
  public record Standardized(DataSet data, Standardization standardization) {}

  private DataSet read(Path file) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(file, reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private DataSet parse(Path file, BufferedReader reader) throws IOException {
    String headerLine = reader.readLine();
    long lineNo = 1;
    while (headerLine != null && headerLine.isBlank()) {
      headerLine = reader.readLine();
      lineNo++;
    }
    if (headerLine == null) {
      throw new DataFormatException(file, "missing header: the file has no lines");
    }
    if (headerLine.startsWith("\uFEFF")) {
      headerLine = headerLine.substring(1);
    }
    List<String> header = split(file, lineNo, headerLine);
    if (header.stream().allMatch(CsvLoader::isNumber)) {
      throw new DataFormatException(
          file, lineNo, null, "missing header: the first line holds values (" + headerLine
              + "), not column names");
    }
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i);
      if (name.isEmpty()) {
        throw new DataFormatException(file, lineNo, null, "header field " + (i + 1) + " is empty");
      }
      if (position.put(name, i) != null) {
        throw new DataFormatException(file, lineNo, name, "the header names this column twice");
      }
    }
    int labelAt = -1;
    if (labelColumn != null) {
      labelAt = requireColumn(file, lineNo, header, position, labelColumn, "label column");
    }
    List<String> chosen = new ArrayList<>();
    if (columns == null) {
      for (String name : header) {
        if (!name.equals(labelColumn)) {
          chosen.add(name);
        }
      }
      if (chosen.isEmpty()) {
        throw new DataFormatException(file, lineNo, null, "no feature columns besides the label");
      }
    } else {
      chosen.addAll(columns);
    }
    int[] featureAt = new int[chosen.size()];
    for (int j = 0; j < featureAt.length; j++) {
      featureAt[j] = requireColumn(file, lineNo, header, position, chosen.get(j), "column");
      if (featureAt[j] == labelAt) {
        throw new DataFormatException(
            file, lineNo, chosen.get(j), "the label column cannot also be a feature");
      }
    }

    int m = featureAt.length;
    float[] values = new float[1024 * m];
    int[] labels = labelAt >= 0 ? new int[1024] : null;
    int rows = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      List<String> fields = split(file, lineNo, line);
      if (fields.size() != header.size()) {
        throw new DataFormatException(
            file, lineNo, null, "wrong number of fields: expected " + header.size()
                + " (as in the header), found " + fields.size());
      }
      if ((long) (rows + 1) * m > values.length) {
        values = Arrays.copyOf(values, Math.multiplyExact(values.length, 2));
      }
      for (int j = 0; j < m; j++) {
        values[rows * m + j] = parseValue(file, lineNo, chosen.get(j), fields.get(featureAt[j]));
      }
      if (labels != null) {
        if (rows == labels.length) {
          labels = Arrays.copyOf(labels, labels.length * 2);
        }
        labels[rows] = parseLabel(file, lineNo, fields.get(labelAt));
      }
      rows++;
    }
    if (rows == 0) {
      throw new DataFormatException(file, "has a header but no rows of values; expected at least one row");
    }
    String fileName = file.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String name = dot > 0 ? fileName.substring(0, dot) : fileName;
    DataSet data = DataSet.wrap(name, Arrays.copyOf(values, rows * m), m);
    return labels != null ? data.withLabelsUnchecked(Arrays.copyOf(labels, rows)) : data;
  }

  private static int requireColumn(
      Path file, long lineNo, List<String> header, Map<String, Integer> position, String name,
      String what) {
    Integer at = position.get(name);
    if (at == null) {
      throw new DataFormatException(
          file, lineNo, name, "unknown " + what + "; the header has: " + String.join(", ", header));
    }
    return at;
  }

  private static float parseValue(Path file, long lineNo, String column, String text) {
    if (text.isEmpty()) {
      throw new DataFormatException(file, lineNo, column, "missing value (empty field)");
    }
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, lineNo, column, "not a number: '" + text + "'");
    }
    if (!isPlainNumber(text) || !Double.isFinite(v) || Float.isInfinite((float) v)) {
      throw new DataFormatException(
          file, lineNo, column, "not a finite decimal number: '" + text + "'");
    }
    return (float) v;
  }

  private int parseLabel(Path file, long lineNo, String text) {
    if (labelClasses != null) {
      int c = labelClasses.indexOf(text);
      if (c < 0) {
        throw new DataFormatException(
            file, lineNo, labelColumn, "unknown class '" + text + "'; the classes are "
                + String.join(", ", labelClasses));
      }
      return c;
    }
    try {
      int c = Integer.parseInt(text);
      if (c >= 0) {
        return c;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DataFormatException(
        file, lineNo, labelColumn, "label '" + text + "' is not a non-negative integer class index"
            + " (name the classes with withLabel(column, classes...) for text labels)");
  }

  private static boolean isNumber(String text) {
    try {
      Double.parseDouble(text);
      return isPlainNumber(text);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Decimal digits, sign, point and exponent only: rejects Java's "NaN", "1f", "0x1p3" and the like. */
  private static boolean isPlainNumber(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

  private List<String> split(Path file, long lineNo, String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && line.charAt(i) == ' ' && line.charAt(i) != delimiter) {
        i++;
      }
      field.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              closed = true;
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (!closed) {
          throw new DataFormatException(
              file, lineNo, null, "unterminated quote in field " + (fields.size() + 1));
        }
        while (i < n && line.charAt(i) != delimiter) {
          if (!Character.isWhitespace(line.charAt(i))) {
            throw new DataFormatException(
                file, lineNo, null, "text after the closing quote of field " + (fields.size() + 1));
          }
          i++;
        }
        fields.add(field.toString());
      } else {
        int start = i;
        while (i < n && line.charAt(i) != delimiter) {
          i++;
        }
        fields.add(line.substring(start, i).strip());
      }
      if (i >= n) {
        return fields;
      }
      i++;
    }
  }
}
