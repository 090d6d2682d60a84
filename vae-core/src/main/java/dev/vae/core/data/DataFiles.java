package dev.vae.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The user's own data, read by what the path is: a folder of pictures ({@link ImageFolderReader}),
 * a CSV or TSV table with a header ({@link CsvLoader}; {@code .tsv} and {@code .tab} are
 * tab-separated), a NumPy array ({@code .npy}, {@link NpyReader}) or IDX images ({@code .idx*},
 * {@code *-ubyte}, or either gzipped, {@link IdxReader}). Labels come from the table's label column
 * or, for arrays and IDX images, from a file of their own.
 */
public final class DataFiles {
  /** The kinds of path read, for messages. */
  public static final String KINDS = "a folder of pictures, .csv, .tsv, .npy or IDX (.idx*, *-ubyte, gzipped or not)";

  private DataFiles() {}

  /**
   * How to read a path: a labels file (arrays and IDX images), a table's label column, and the
   * size [height, width] pictures are resized to; each may be null.
   */
  public record Request(Path labels, String labelColumn, int[] resize) {
    /** Nothing beyond the path. */
    public static Request plain() {
      return new Request(null, null, null);
    }
  }

  /** Reads {@code path} as the request says; fails naming the path and what it expected. */
  public static DataSet read(Path path, Request request) {
    if (!Files.exists(path)) {
      throw new DataNotFoundException("no data at " + path + "; give " + KINDS, java.util.List.of(path));
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean table = name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".tab");
    refuse(request.labelColumn() != null && !table, path, "a label column names a column of a table (.csv, .tsv)");
    refuse(request.labels() != null && (table || Files.isDirectory(path)), path,
        "a labels file goes with an array or IDX images; a table has a label column, a folder its subfolders");
    refuse(request.resize() != null && !Files.isDirectory(path), path, "resizing applies to a folder of pictures");
    DataSet data;
    if (Files.isDirectory(path)) {
      data = ImageFolderReader.read(path, request.resize());
    } else if (table) {
      CsvLoader loader = CsvLoader.allColumns().withDelimiter(name.endsWith(".csv") ? ',' : '\t');
      data = (request.labelColumn() == null ? loader : loader.withLabel(request.labelColumn())).load(path);
    } else if (name.endsWith(".npy")) {
      data = NpyReader.readDataSet(path);
    } else if (name.contains(".idx") || name.contains("-ubyte")) {
      data = IdxReader.readImages(path);
    } else {
      throw new DataFormatException(path, "is not data this reads; give " + KINDS);
    }
    return request.labels() == null ? data : data.withLabels(labels(request.labels(), data.size()));
  }

  private static int[] labels(Path file, int examples) {
    int[] labels = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")
        ? NpyReader.readLabels(file) : IdxReader.readLabels(file);
    if (labels.length != examples) {
      throw new DataFormatException(file, "has " + labels.length + " labels for " + examples + " examples");
    }
    return labels;
  }

  private static void refuse(boolean wrong, Path path, String why) {
    if (wrong) {
      throw new IllegalArgumentException("reading " + path + ": " + why);
    }
  }
}
