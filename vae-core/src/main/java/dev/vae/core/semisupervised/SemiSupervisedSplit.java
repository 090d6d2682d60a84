package dev.vae.core.semisupervised;

import dev.vae.api.Rng;
import dev.vae.core.data.DataSet;

/**
 * A labelled training set cut for semi-supervised learning: a validation set drawn uniformly (it
 * keeps its labels, for model selection), then, from the rest, {@code perClass} labelled examples of
 * every class and the unlabelled remainder, whose labels are removed. Every draw derives from the
 * seed, so one seed gives one split.
 *
 * @param labelled perClass examples of every class, with labels
 * @param unlabelled every other training example, without labels
 * @param validation the held-out examples, with labels (empty when none were asked for)
 */
public record SemiSupervisedSplit(DataSet labelled, DataSet unlabelled, DataSet validation) {
  private static final long VALIDATION_STREAM = 0x5641_4C49_44L;
  private static final long LABELLED_STREAM = 0x4C41_4245_4CL;

  /**
   * Draws the split.
   *
   * @param data a labelled data set
   * @param perClass labelled examples per class, at least 1
   * @param validationSize examples held out for validation, from 0 to below the data's size
   * @throws IllegalArgumentException if the data have no labels, perClass is not positive, some class
   *     has fewer than perClass examples left after validation, or validationSize is out of range
   */
  public static SemiSupervisedSplit draw(DataSet data, int perClass, int validationSize, long seed) {
    if (!data.hasLabels()) {
      throw new IllegalArgumentException("semi-supervised training needs labels to pick the labelled examples from, "
          + "but '" + data.name() + "' has none; expected a labelled data set such as MNIST's training set");
    }
    if (validationSize < 0 || validationSize >= data.size()) {
      throw new IllegalArgumentException("a validation set of " + validationSize + " examples cannot be held out of '"
          + data.name() + "', which has " + data.size() + "; expected 0 to " + (data.size() - 1));
    }
    Rng rng = new Rng(seed);
    DataSet.Split held = data.split((double) validationSize / data.size(), rng.fork(VALIDATION_STREAM));
    DataSet.LabelledSplit split = held.train().balancedLabelledSubset(perClass, rng.fork(LABELLED_STREAM));
    return new SemiSupervisedSplit(split.labelled(), split.unlabelled(), held.validation());
  }
}
