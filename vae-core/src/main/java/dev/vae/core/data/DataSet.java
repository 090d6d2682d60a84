package dev.vae.core.data;

import dev.vae.api.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable in-memory table of float32 examples: {@code size()} rows of {@code features()}
 * values, stored row-major, with optional non-negative integer labels (class indices) and, for
 * pictures, the image shape of one row. Every method that derives a data set returns a new one;
 * none changes this one, and arrays handed in or out are copies.
 */
public final class DataSet {
  private final String name;
  private final int size;
  private final int features;
  private final float[] values;
  private final int[] labels;
  private final ImageShape imageShape;

  private DataSet(
      String name, int size, int features, float[] values, int[] labels, ImageShape imageShape) {
    this.name = Objects.requireNonNull(name, "name");
    this.size = size;
    this.features = features;
    this.values = values;
    this.labels = labels;
    this.imageShape = imageShape;
  }

  /**
   * A data set of {@code values.length / features} examples, copied from row-major values.
   *
   * @throws IllegalArgumentException if features is not positive or does not divide the length
   */
  public static DataSet of(String name, float[] values, int features) {
    return wrap(name, values.clone(), features);
  }

  /** A data set whose rows are copies of the given equally long rows. */
  public static DataSet ofRows(String name, float[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException(
          "cannot infer the number of features of '" + name + "' from zero rows; use of(name, values, features)");
    }
    int m = rows[0].length;
    float[] flat = new float[Math.multiplyExact(rows.length, m)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != m) {
        throw new IllegalArgumentException(
            "row " + i + " of '" + name + "' has " + rows[i].length + " values, row 0 has " + m);
      }
      System.arraycopy(rows[i], 0, flat, i * m, m);
    }
    return wrap(name, flat, m);
  }

  /** Takes ownership of {@code values} without copying: for readers that built the array. */
  static DataSet wrap(String name, float[] values, int features) {
    if (features <= 0) {
      throw new IllegalArgumentException("a data set needs at least one feature, got " + features);
    }
    if (values.length % features != 0) {
      throw new IllegalArgumentException(
          values.length + " values do not make whole rows of " + features + " features");
    }
    return new DataSet(name, values.length / features, features, values, null, null);
  }

  /** The same rows with these labels (copied): one non-negative class index per example. */
  public DataSet withLabels(int[] labels) {
    return new DataSet(name, size, features, values, checkLabels(labels.clone()), imageShape);
  }

  /** Takes ownership of {@code labels} without copying. */
  DataSet withLabelsUnchecked(int[] labels) {
    return new DataSet(name, size, features, values, labels, imageShape);
  }

  private int[] checkLabels(int[] candidate) {
    if (candidate.length != size) {
      throw new IllegalArgumentException(
          "'" + name + "' has " + size + " examples but " + candidate.length + " labels were given");
    }
    for (int i = 0; i < candidate.length; i++) {
      if (candidate[i] < 0) {
        throw new IllegalArgumentException(
            "label of example " + i + " of '" + name + "' is " + candidate[i] + "; labels are class indices >= 0");
      }
    }
    return candidate;
  }

  /** The same rows without labels. */
  public DataSet withoutLabels() {
    return new DataSet(name, size, features, values, null, imageShape);
  }

  /**
   * The same rows, declared to be grey pictures of the given shape.
   *
   * @throws IllegalArgumentException if height × width is not the number of features
   */
  public DataSet withImageShape(int height, int width) {
    return withImageShape(1, height, width);
  }

  /**
   * The same rows, declared to be pictures of the given channels and sides.
   *
   * @throws IllegalArgumentException if channels × height × width is not the number of features
   */
  public DataSet withImageShape(int channels, int height, int width) {
    ImageShape shape = new ImageShape(channels, height, width);
    if (shape.features() != features) {
      throw new IllegalArgumentException("image shape " + shape + " has " + shape.features() + " values but '" + name
          + "' has " + features + " features");
    }
    return new DataSet(name, size, features, values, labels, shape);
  }

  /** The same data under another name. */
  public DataSet withName(String newName) {
    return new DataSet(newName, size, features, values, labels, imageShape);
  }

  /** A short name for messages and reports, e.g. "mnist-train". */
  public String name() {
    return name;
  }

  /** The number of examples (rows). */
  public int size() {
    return size;
  }

  /** The number of values per example (columns). */
  public int features() {
    return features;
  }

  /** Whether every example has a label. */
  public boolean hasLabels() {
    return labels != null;
  }

  /** The picture shape of one example, when the features are pixels. */
  public Optional<ImageShape> imageShape() {
    return Optional.ofNullable(imageShape);
  }

  /** One value. */
  public float get(int example, int feature) {
    checkExample(example);
    if (feature < 0 || feature >= features) {
      throw new IndexOutOfBoundsException(
          "feature " + feature + " of '" + name + "', which has " + features + " features");
    }
    return values[example * features + feature];
  }

  /** A copy of one example's values. */
  public float[] row(int example) {
    checkExample(example);
    return Arrays.copyOfRange(values, example * features, (example + 1) * features);
  }

  /** A copy of all values, row-major. */
  public float[] toArray() {
    return values.clone();
  }

  /** The label of one example. */
  public int label(int example) {
    requireLabels();
    checkExample(example);
    return labels[example];
  }

  /** A copy of all labels. */
  public int[] labels() {
    requireLabels();
    return labels.clone();
  }

  /** One more than the largest label: the number of classes the labels index. */
  public int numClasses() {
    requireLabels();
    int max = -1;
    for (int label : labels) {
      max = Math.max(max, label);
    }
    return max + 1;
  }

  /** How many examples carry each label 0..numClasses()-1. */
  public int[] classCounts() {
    int[] counts = new int[numClasses()];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** The mean of each feature over all examples, accumulated in double precision. */
  public double[] featureMeans() {
    double[] mean = new double[features];
    for (int i = 0; i < size; i++) {
      int base = i * features;
      for (int j = 0; j < features; j++) {
        mean[j] += values[base + j];
      }
    }
    for (int j = 0; j < features; j++) {
      mean[j] /= size;
    }
    return mean;
  }

  /**
   * Copies the rows {@code indices[from .. from+count)} one after another into the start of
   * {@code dest}, which must hold at least {@code count * features()} floats: the batch buffer a
   * training step transfers to the backend.
   */
  public void copyRows(int[] indices, int from, int count, float[] dest) {
    Objects.checkFromIndexSize(from, count, indices.length);
    if (dest.length < (long) count * features) {
      throw new IllegalArgumentException(
          "batch buffer holds " + dest.length + " floats, " + count + " rows of " + features
              + " features need " + (long) count * features);
    }
    for (int r = 0; r < count; r++) {
      int example = indices[from + r];
      checkExample(example);
      System.arraycopy(values, example * features, dest, r * features, features);
    }
  }

  /** Copies the rows named by all of {@code indices} into the start of {@code dest}. */
  public void copyRows(int[] indices, float[] dest) {
    copyRows(indices, 0, indices.length, dest);
  }

  /** Copies the labels of {@code indices[from .. from+count)} into the start of {@code dest}. */
  public void copyLabels(int[] indices, int from, int count, int[] dest) {
    requireLabels();
    Objects.checkFromIndexSize(from, count, indices.length);
    if (dest.length < count) {
      throw new IllegalArgumentException(
          "label buffer holds " + dest.length + " ints, " + count + " labels were asked for");
    }
    for (int r = 0; r < count; r++) {
      int example = indices[from + r];
      checkExample(example);
      dest[r] = labels[example];
    }
  }

  /** The examples at {@code indices}, in that order (repeats allowed), with their labels. */
  public DataSet subset(int[] indices) {
    return subset(indices, name);
  }

  /** The examples at {@code indices} under a new name. */
  public DataSet subset(int[] indices, String newName) {
    float[] picked = new float[Math.multiplyExact(indices.length, features)];
    copyRows(indices, picked);
    int[] pickedLabels = null;
    if (labels != null) {
      pickedLabels = new int[indices.length];
      copyLabels(indices, 0, indices.length, pickedLabels);
    }
    return new DataSet(newName, indices.length, features, picked, pickedLabels, imageShape);
  }

  /**
   * A random split into training and validation parts: round(size × validationFraction) examples
   * chosen uniformly without replacement go to validation, the rest to training. Both keep the
   * original order of their examples. The draw advances {@code rng} by size - 1 elements.
   *
   * @param validationFraction in [0, 1)
   */
  public Split split(double validationFraction, Rng rng) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validation fraction must be in [0, 1), got " + validationFraction);
    }
    int validationSize = (int) Math.round(size * validationFraction);
    int[] order = Draws.permutation(size, rng);
    int[] validation = Arrays.copyOfRange(order, 0, validationSize);
    int[] train = Arrays.copyOfRange(order, validationSize, size);
    Arrays.sort(validation);
    Arrays.sort(train);
    return new Split(
        subset(train, name + "-train"),
        subset(validation, name + "-validation"),
        train,
        validation);
  }

  /**
   * A labelled subset with exactly {@code perClass} examples of every class that occurs, chosen
   * uniformly at random within each class, and the rest as an unlabelled part whose labels are
   * removed (for semi-supervised learning, where the model must not see them). Both parts keep
   * the original order of their examples. The draw advances {@code rng} by size - 1 elements.
   *
   * @throws IllegalArgumentException if the data has no labels, perClass is not positive, or some
   *     class has fewer than perClass examples
   */
  public LabelledSplit balancedLabelledSubset(int perClass, Rng rng) {
    requireLabels();
    if (perClass <= 0) {
      throw new IllegalArgumentException("examples per class must be positive, got " + perClass);
    }
    int[] counts = classCounts();
    List<String> tooSmall = new ArrayList<>();
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] > 0 && counts[c] < perClass) {
        tooSmall.add("class " + c + " has " + counts[c]);
      }
    }
    if (!tooSmall.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot pick " + perClass + " labelled examples per class from '" + name + "': "
              + String.join(", ", tooSmall));
    }
    int[] order = Draws.permutation(size, rng);
    int[] taken = new int[counts.length];
    boolean[] labelled = new boolean[size];
    int labelledCount = 0;
    for (int example : order) {
      int c = labels[example];
      if (taken[c] < perClass) {
        taken[c]++;
        labelled[example] = true;
        labelledCount++;
      }
    }
    int[] labelledIdx = new int[labelledCount];
    int[] unlabelledIdx = new int[size - labelledCount];
    for (int i = 0, a = 0, b = 0; i < size; i++) {
      if (labelled[i]) {
        labelledIdx[a++] = i;
      } else {
        unlabelledIdx[b++] = i;
      }
    }
    return new LabelledSplit(
        subset(labelledIdx, name + "-labelled"),
        subset(unlabelledIdx, name + "-unlabelled").withoutLabels(),
        labelledIdx,
        unlabelledIdx);
  }

  private void requireLabels() {
    if (labels == null) {
      throw new IllegalStateException("data set '" + name + "' has no labels");
    }
  }

  private void checkExample(int example) {
    if (example < 0 || example >= size) {
      throw new IndexOutOfBoundsException(
          "example " + example + " of '" + name + "', which has " + size + " examples");
    }
  }

  /** Values handed to package code that promises not to change them. */
  float[] values() {
    return values;
  }

  /** Labels handed to package code that promises not to change them; null when unlabelled. */
  int[] labelsOrNull() {
    return labels;
  }

  /** A copy of this data set with other values of the same shape, owned by the result. */
  DataSet withValues(float[] newValues) {
    if (newValues.length != values.length) {
      throw new IllegalArgumentException(
          newValues.length + " values given for a data set of " + values.length);
    }
    return new DataSet(name, size, features, newValues, labels, imageShape);
  }

  @Override
  public String toString() {
    return "DataSet(" + name + ": " + size + " x " + features
        + (imageShape != null ? " (" + imageShape + ")" : "")
        + (labels != null ? ", labelled" : "") + ")";
  }

  /**
   * A training/validation split.
   *
   * @param train the training part
   * @param validation the validation part
   * @param trainIndices where the training examples were in the original data, ascending
   * @param validationIndices where the validation examples were, ascending
   */
  public record Split(DataSet train, DataSet validation, int[] trainIndices, int[] validationIndices) {
    /** Copies the index arrays. */
    public Split {
      trainIndices = trainIndices.clone();
      validationIndices = validationIndices.clone();
    }

    /** A copy of trainIndices. */
    @Override
    public int[] trainIndices() {
      return trainIndices.clone();
    }

    /** A copy of validationIndices. */
    @Override
    public int[] validationIndices() {
      return validationIndices.clone();
    }
  }

  /**
   * A labelled subset and the unlabelled rest, for semi-supervised learning.
   *
   * @param labelled the labelled examples, perClass of each class
   * @param unlabelled every other example, with its label removed
   * @param labelledIndices where the labelled examples were in the original data, ascending
   * @param unlabelledIndices where the unlabelled examples were, ascending
   */
  public record LabelledSplit(
      DataSet labelled, DataSet unlabelled, int[] labelledIndices, int[] unlabelledIndices) {
    /** Copies the index arrays. */
    public LabelledSplit {
      labelledIndices = labelledIndices.clone();
      unlabelledIndices = unlabelledIndices.clone();
    }

    /** A copy of labelledIndices. */
    @Override
    public int[] labelledIndices() {
      return labelledIndices.clone();
    }

    /** A copy of unlabelledIndices. */
    @Override
    public int[] unlabelledIndices() {
      return unlabelledIndices.clone();
    }
  }
}
