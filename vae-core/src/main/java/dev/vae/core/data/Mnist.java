package dev.vae.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MNIST handwritten digits (LeCun, Cortes and Burges): 60,000 training and 10,000 test
 * pictures of 28x28 grey pixels, labelled 0-9, read from the four standard IDX files in one
 * directory, each plain or gzip-compressed ({@code .gz}). Fashion-MNIST uses the same file names
 * and format and loads the same way. {@link MnistLocator} finds the directory;
 * {@code scripts/fetch-mnist.sh} fills it.
 */
public final class Mnist {
  /** Side of an MNIST picture, in pixels. */
  public static final int SIDE = 28;
  /** The number of classes (digits). */
  public static final int CLASSES = 10;

  /** Which half of MNIST to load. */
  public enum Split {
    /** The 60,000 training examples (train-*-ubyte). */
    TRAIN("train"),
    /** The 10,000 test examples (t10k-*-ubyte). */
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
      this.prefix = prefix;
    }

    /** The standard name of the image file, without {@code .gz}. */
    public String imagesFile() {
      return prefix + "-images-idx3-ubyte";
    }

    /** The standard name of the label file, without {@code .gz}. */
    public String labelsFile() {
      return prefix + "-labels-idx1-ubyte";
    }
  }

  private Mnist() {}

  /** The four standard file names (without {@code .gz}), training files first. */
  public static List<String> fileNames() {
    List<String> names = new ArrayList<>();
    for (Split s : Split.values()) {
      names.add(s.imagesFile());
      names.add(s.labelsFile());
    }
    return List.copyOf(names);
  }

  /**
   * Loads one split from {@code dir}: pixels in [0, 1], 28x28 image shape (as the file declares),
   * labels 0-9, named "mnist-train" or "mnist-test".
   *
   * @throws DataNotFoundException if a file is missing, naming both forms looked for
   * @throws DataFormatException if a file is malformed, the image and label counts differ, or a
   *     label is not a digit
   */
  public static DataSet load(Path dir, Split split) {
    Path imagesFile = require(dir, split.imagesFile());
    Path labelsFile = require(dir, split.labelsFile());
    DataSet images = IdxReader.readImages(imagesFile);
    int[] labels = IdxReader.readLabels(labelsFile);
    if (labels.length != images.size()) {
      throw new DataFormatException(
          imagesFile, "dimension mismatch: it holds " + images.size() + " images but "
              + labelsFile + " holds " + labels.length + " labels");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= CLASSES) {
        throw new DataFormatException(
            labelsFile, "label " + i + " is " + labels[i] + ", not a digit 0-" + (CLASSES - 1));
      }
    }
    String name = split == Split.TRAIN ? "mnist-train" : "mnist-test";
    return images.withLabelsUnchecked(labels).withName(name);
  }

  /** The file with this standard name in {@code dir}: plain if present, else its {@code .gz}. */
  public static Optional<Path> find(Path dir, String standardName) {
    Path plain = dir.resolve(standardName);
    if (Files.isRegularFile(plain)) {
      return Optional.of(plain);
    }
    Path gz = dir.resolve(standardName + ".gz");
    return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
  }

  /** The standard file names of which neither form is in {@code dir}; empty when all are there. */
  public static List<String> missingFiles(Path dir) {
    List<String> missing = new ArrayList<>();
    for (String name : fileNames()) {
      if (find(dir, name).isEmpty()) {
        missing.add(name);
      }
    }
    return missing;
  }

  private static Path require(Path dir, String standardName) {
    return find(dir, standardName)
        .orElseThrow(
            () ->
                new DataNotFoundException(
                    "MNIST file " + standardName + " (or " + standardName + ".gz) is not in " + dir
                        + "; run scripts/fetch-mnist.sh to fetch MNIST, or point to a directory"
                        + " that holds the four files",
                    List.of(dir.resolve(standardName), dir.resolve(standardName + ".gz"))));
  }
}
