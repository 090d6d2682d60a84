package dev.vae.examples.cli;

import dev.vae.core.data.Binarization;
import dev.vae.core.data.DataFiles;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a run's data come from, as its recorded options say: MNIST when no path is given, else the
 * user's own file or folder ({@link DataFiles}), with its labels, the size pictures are resized to,
 * whether columns are standardised, and the share held out as the test set.
 *
 * @param path the data, or null for MNIST
 * @param request how {@link DataFiles} reads the path
 * @param standardize whether each column is standardised with the training part's mean and deviation
 * @param testFraction the share of the user's examples held out, the same ones for every command of a run
 */
record DataChoice(Path path, DataFiles.Request request, boolean standardize, double testFraction) {
  /** The options that say it, by recorded name. */
  static DataChoice fromOptions(Map<String, String> options) {
    String path = options.getOrDefault("data", "");
    String labels = options.getOrDefault("labels", "");
    String column = options.getOrDefault("label-column", "");
    String size = options.getOrDefault("image-size", "");
    int[] resize = size.isEmpty() ? null : imageSize(size);
    double fraction = Double.parseDouble(options.getOrDefault("test-fraction", "0.1"));
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + fraction);
    }
    boolean standardize = Boolean.parseBoolean(options.getOrDefault("standardize", "false"));
    if (path.isEmpty()) {
      for (String option : new String[] {"labels", "label-column", "image-size"}) {
        if (!options.getOrDefault(option, "").isEmpty()) {
          throw new IllegalArgumentException("--" + option + " says how to read --data, which was not given (MNIST"
              + " brings its own labels)");
        }
      }
      if (standardize) {
        throw new IllegalArgumentException("--standardize applies to --data, which was not given");
      }
      return new DataChoice(null, DataFiles.Request.plain(), false, fraction);
    }
    return new DataChoice(Path.of(path), new DataFiles.Request(labels.isEmpty() ? null : Path.of(labels),
        column.isEmpty() ? null : column, resize), standardize, fraction);
  }

  /** MNIST, or the user's own data. */
  boolean mnist() {
    return path == null;
  }

  /** auto (dynamic for MNIST, none for the user's own data), none, static or dynamic. */
  Binarization binarization(String option) {
    if (option.equalsIgnoreCase("auto")) {
      return mnist() ? Binarization.DYNAMIC : Binarization.NONE;
    }
    try {
      return RunData.parseBinarization(option);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--binarize must be auto, none, static or dynamic, got '" + option + "'");
    }
  }

  private static int[] imageSize(String text) {
    String[] sides = text.split("x");
    try {
      int[] size = {Integer.parseInt(sides[0]), Integer.parseInt(sides[1])};
      if (sides.length == 2 && size[0] > 0 && size[1] > 0) {
        return size;
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      // reported below with what was expected
    }
    throw new IllegalArgumentException("--image-size must be HxW with positive sides, e.g. 28x28, got '" + text + "'");
  }
}
