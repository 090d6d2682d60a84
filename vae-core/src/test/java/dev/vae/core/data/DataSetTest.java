package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.Rng;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The in-memory table: construction, subsets, batch copies, splits and balanced labelled subsets. */
class DataSetTest {

  /** n examples of 3 features; example i holds (i, 10 i, 100 i); label i % classes. */
  static DataSet numbered(int n, int classes) {
    float[] v = new float[n * 3];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      v[3 * i] = i;
      v[3 * i + 1] = 10 * i;
      v[3 * i + 2] = 100 * i;
      labels[i] = i % classes;
    }
    return DataSet.of("numbered", v, 3).withLabels(labels);
  }

  @Test
  void holdsRowsLabelsAndShape() {
    DataSet d = DataSet.of("t", new float[] {1, 2, 3, 4, 5, 6}, 3).withLabels(new int[] {4, 0});
    assertThat(d.size()).isEqualTo(2);
    assertThat(d.features()).isEqualTo(3);
    assertThat(d.row(1)).containsExactly(4, 5, 6);
    assertThat(d.get(0, 2)).isEqualTo(3f);
    assertThat(d.label(0)).isEqualTo(4);
    assertThat(d.numClasses()).isEqualTo(5);
    assertThat(d.classCounts()).containsExactly(1, 0, 0, 0, 1);
    assertThat(d.imageShape()).isEmpty();
    DataSet pic = DataSet.of("p", new float[12], 6).withImageShape(2, 3);
    assertThat(pic.imageShape()).contains(new ImageShape(2, 3));
    assertThat(d.featureMeans()).containsExactly(2.5, 3.5, 4.5);
  }

  @Test
  void isImmutableAgainstTheArraysHandedInAndOut() {
    float[] values = {1, 2, 3, 4};
    int[] labels = {0, 1};
    DataSet d = DataSet.of("t", values, 2).withLabels(labels);
    values[0] = 99;
    labels[0] = 7;
    d.toArray()[1] = 99;
    d.row(0)[0] = 99;
    d.labels()[1] = 7;
    assertThat(d.toArray()).containsExactly(1, 2, 3, 4);
    assertThat(d.labels()).containsExactly(0, 1);
  }

  @Test
  void rejectsInconsistentShapesWithClearMessages() {
    assertThatThrownBy(() -> DataSet.of("t", new float[5], 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 values")
        .hasMessageContaining("2 features");
    assertThatThrownBy(() -> DataSet.of("t", new float[4], 2).withLabels(new int[3]))
        .hasMessageContaining("2 examples but 3 labels");
    assertThatThrownBy(() -> DataSet.of("t", new float[4], 2).withLabels(new int[] {0, -1}))
        .hasMessageContaining("example 1")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> DataSet.of("t", new float[12], 6).withImageShape(2, 2))
        .hasMessageContaining("2x2")
        .hasMessageContaining("6 features");
    assertThatThrownBy(() -> DataSet.ofRows("t", new float[][] {{1, 2}, {3}}))
        .hasMessageContaining("row 1");
    assertThatThrownBy(() -> DataSet.of("t", new float[4], 2).labels())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no labels");
    assertThatThrownBy(() -> DataSet.of("t", new float[4], 2).row(2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("example 2");
  }

  @Test
  void copiesRowsAndLabelsIntoBatchBuffers() {
    DataSet d = numbered(10, 3);
    float[] buffer = new float[4 * 3];
    Arrays.fill(buffer, -1);
    d.copyRows(new int[] {9, 2, 5, 7}, 1, 2, buffer);
    assertThat(buffer).containsExactly(2, 20, 200, 5, 50, 500, -1, -1, -1, -1, -1, -1);
    int[] labels = new int[2];
    d.copyLabels(new int[] {9, 2, 5}, 1, 2, labels);
    assertThat(labels).containsExactly(2, 2);
    assertThatThrownBy(() -> d.copyRows(new int[] {1, 2}, new float[5]))
        .hasMessageContaining("holds 5 floats")
        .hasMessageContaining("need 6");
    assertThatThrownBy(() -> d.copyRows(new int[] {10}, new float[3]))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("example 10");
  }

  @Test
  void subsetTakesRowsAndLabelsInTheGivenOrder() {
    DataSet d = numbered(6, 4).withImageShape(1, 3);
    DataSet s = d.subset(new int[] {5, 1, 1}, "s");
    assertThat(s.name()).isEqualTo("s");
    assertThat(s.toArray()).containsExactly(5, 50, 500, 1, 10, 100, 1, 10, 100);
    assertThat(s.labels()).containsExactly(1, 1, 1);
    assertThat(s.imageShape()).contains(new ImageShape(1, 3));
  }

  @Test
  void splitIsAPartitionOfTheRightSizeAndDependsOnlyOnTheSeed() {
    DataSet d = numbered(1000, 10);
    DataSet.Split a = d.split(0.2, new Rng(3));
    DataSet.Split b = d.split(0.2, new Rng(3));
    DataSet.Split c = d.split(0.2, new Rng(4));
    assertThat(a.validation().size()).isEqualTo(200);
    assertThat(a.train().size()).isEqualTo(800);
    Set<Integer> all = new HashSet<>();
    for (int i : a.trainIndices()) {
      all.add(i);
    }
    for (int i : a.validationIndices()) {
      assertThat(all.add(i)).as("index %d in both parts", i).isTrue();
    }
    assertThat(all).hasSize(1000);
    // Rows travel with their indices: example i holds value i in feature 0.
    int[] vi = a.validationIndices();
    for (int r = 0; r < vi.length; r++) {
      assertThat(a.validation().get(r, 0)).isEqualTo((float) vi[r]);
      assertThat(a.validation().label(r)).isEqualTo(vi[r] % 10);
    }
    assertThat(b.validationIndices()).isEqualTo(a.validationIndices());
    assertThat(c.validationIndices()).isNotEqualTo(a.validationIndices());
    assertThat(a.train().name()).isEqualTo("numbered-train");
    assertThat(d.split(0, new Rng(1)).validation().size()).isZero();
    assertThatThrownBy(() -> d.split(1.0, new Rng(1))).hasMessageContaining("[0, 1)");
  }

  @Test
  void splitAdvancesTheStreamSoSuccessiveSplitsDiffer() {
    DataSet d = numbered(100, 2);
    Rng rng = new Rng(9);
    int[] first = d.split(0.5, rng).validationIndices();
    assertThat(rng.offset()).isEqualTo(99);
    int[] second = d.split(0.5, rng).validationIndices();
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void balancedSubsetHasExactlyPerClassOfEachClassAndDependsOnTheSeed() {
    // Unequal class sizes: labels i % 7 over 703 examples, plus a class 7 with a few members.
    int n = 703;
    int[] labels = IntStream.range(0, n).map(i -> i % 50 == 0 ? 7 : i % 7).toArray();
    DataSet d = DataSet.of("u", new float[n], 1).withLabels(labels);
    DataSet.LabelledSplit s = d.balancedLabelledSubset(5, new Rng(11));
    assertThat(s.labelled().classCounts()).containsExactly(5, 5, 5, 5, 5, 5, 5, 5);
    assertThat(s.labelled().size()).isEqualTo(40);
    assertThat(s.unlabelled().size()).isEqualTo(n - 40);
    assertThat(s.unlabelled().hasLabels()).isFalse();
    Set<Integer> seen = new HashSet<>();
    for (int i : s.labelledIndices()) {
      seen.add(i);
    }
    for (int i : s.unlabelledIndices()) {
      assertThat(seen.add(i)).isTrue();
    }
    assertThat(seen).hasSize(n);
    int[] li = s.labelledIndices();
    for (int r = 0; r < li.length; r++) {
      assertThat(s.labelled().label(r)).isEqualTo(labels[li[r]]);
    }
    assertThat(d.balancedLabelledSubset(5, new Rng(11)).labelledIndices()).isEqualTo(li);
    assertThat(d.balancedLabelledSubset(5, new Rng(12)).labelledIndices()).isNotEqualTo(li);
  }

  @Test
  void balancedSubsetNamesTheClassesThatAreTooSmall() {
    DataSet d = DataSet.of("u", new float[6], 1).withLabels(new int[] {0, 0, 0, 1, 2, 2});
    assertThatThrownBy(() -> d.balancedLabelledSubset(2, new Rng(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("class 1 has 1")
        .hasMessageNotContaining("class 2");
    assertThatThrownBy(() -> DataSet.of("u", new float[2], 1).balancedLabelledSubset(1, new Rng(1)))
        .hasMessageContaining("no labels");
  }
}
