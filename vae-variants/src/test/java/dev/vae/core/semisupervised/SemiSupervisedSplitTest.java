package dev.vae.core.semisupervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.Rng;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The labelled/unlabelled/validation split: balanced, disjoint, complete, seeded, and clear about bad input. */
class SemiSupervisedSplitTest {
  /** 300 examples of 3 classes (unequal counts), each row's first value its example index. */
  private static DataSet data() {
    DataSet mixture = SyntheticData.gaussianMixture(300, new double[][] {{0}, {5}, {10}}, new double[] {1, 1, 1},
        new double[] {0.5, 0.3, 0.2}, new Rng(4)).data();
    float[][] rows = new float[mixture.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {i, mixture.get(i, 0)};
    }
    return DataSet.ofRows("indexed", rows).withLabels(mixture.labels());
  }

  private static Set<Integer> ids(DataSet d) {
    Set<Integer> out = new HashSet<>();
    for (int i = 0; i < d.size(); i++) {
      out.add((int) d.get(i, 0));
    }
    return out;
  }

  @Test
  void everyClassGetsExactlyPerClassLabelsAndTheRestIsUnlabelledOrValidation() {
    DataSet data = data();
    SemiSupervisedSplit split = SemiSupervisedSplit.draw(data, 7, 40, 1);
    assertThat(split.labelled().classCounts()).containsExactly(7, 7, 7);
    for (int i = 0; i < split.labelled().size(); i++) {
      assertThat(split.labelled().label(i)).isEqualTo(data.label((int) split.labelled().get(i, 0)));
    }
    assertThat(split.unlabelled().hasLabels()).isFalse();
    assertThat(split.validation().size()).isEqualTo(40);
    assertThat(split.validation().hasLabels()).isTrue();
    Set<Integer> all = new HashSet<>(ids(split.labelled()));
    all.addAll(ids(split.unlabelled()));
    all.addAll(ids(split.validation()));
    assertThat(all).hasSize(300);
    assertThat(split.labelled().size() + split.unlabelled().size() + split.validation().size()).isEqualTo(300);
  }

  @Test
  void oneSeedGivesOneSplitAndAnotherSeedAnother() {
    DataSet data = data();
    assertThat(ids(SemiSupervisedSplit.draw(data, 5, 30, 2).labelled()))
        .isEqualTo(ids(SemiSupervisedSplit.draw(data, 5, 30, 2).labelled()))
        .isNotEqualTo(ids(SemiSupervisedSplit.draw(data, 5, 30, 3).labelled()));
  }

  @Test
  void dataWithoutLabelsAreRejectedSayingSo() {
    assertThatThrownBy(() -> SemiSupervisedSplit.draw(data().withoutLabels(), 5, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'indexed' has none").hasMessageContaining("expected a labelled data set");
  }

  @Test
  void moreLabelsPerClassThanAClassHoldsNamesTheClassAndItsCount() {
    DataSet data = data();
    int smallest = Arrays.stream(data.classCounts()).min().orElseThrow();
    assertThatThrownBy(() -> SemiSupervisedSplit.draw(data, smallest + 1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot pick " + (smallest + 1) + " labelled examples per class")
        .hasMessageContaining("class 2 has " + smallest);
  }

  @Test
  void aValidationSetAsLargeAsTheDataIsRejected() {
    assertThatThrownBy(() -> SemiSupervisedSplit.draw(data(), 1, 300, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 0 to 299");
  }
}
