package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seeded per-epoch shuffling, batch shapes, drop-last and resuming mid-epoch. */
class BatchesTest {
  private final DataSet data = DataSetTest.numbered(103, 5);

  private Batches batches(long seed, boolean dropLast) {
    return Batches.of(data).batchSize(10).dropLast(dropLast).seed(seed).build();
  }

  @Test
  void everyExampleAppearsExactlyOncePerEpoch() {
    Batches b = batches(1, false);
    assertThat(b.batchesPerEpoch()).isEqualTo(11);
    for (int epoch = 0; epoch < 3; epoch++) {
      int[] seen = new int[data.size()];
      int batches = 0;
      for (Batch batch : b.epoch(epoch)) {
        assertThat(batch.index()).isEqualTo(batches++);
        assertThat(batch.epoch()).isEqualTo(epoch);
        assertThat(batch.rows()).isEqualTo(batch.index() < 10 ? 10 : 3);
        assertThat(batch.values()).hasSize(batch.rows() * 3);
        for (int r = 0; r < batch.rows(); r++) {
          int example = batch.exampleIndices()[r];
          seen[example]++;
          // the row's values and label are that example's
          assertThat(batch.values()[3 * r]).isEqualTo((float) example);
          assertThat(batch.values()[3 * r + 2]).isEqualTo(100f * example);
          assertThat(batch.labels()[r]).isEqualTo(example % 5);
        }
      }
      assertThat(batches).isEqualTo(11);
      assertThat(seen).containsOnly(1);
    }
  }

  @Test
  void dropLastLeavesOutTheShortBatchAndRepeatsNothing() {
    Batches b = batches(1, true);
    assertThat(b.batchesPerEpoch()).isEqualTo(10);
    int[] seen = new int[data.size()];
    int rows = 0;
    for (Batch batch : b.epoch(0)) {
      assertThat(batch.rows()).isEqualTo(10);
      rows += batch.rows();
      for (int example : batch.exampleIndices()) {
        seen[example]++;
      }
    }
    assertThat(rows).isEqualTo(100);
    assertThat(seen).containsOnly(0, 1);
    assertThatThrownBy(() -> b.batch(0, 10)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void anEpochsOrderDependsOnlyOnSeedAndEpoch() {
    Batches first = batches(42, false);
    Batches again = batches(42, false);
    // visit epochs in another order on the second instance: no hidden state carries over
    int[] e2 = again.order(2);
    int[] e0 = again.order(0);
    assertThat(first.order(0)).isEqualTo(e0);
    assertThat(first.order(2)).isEqualTo(e2);
    assertThat(first.order(1)).isNotEqualTo(first.order(0));
    assertThat(batches(43, false).order(0)).isNotEqualTo(first.order(0));
    int[] sorted = first.order(5).clone();
    Arrays.sort(sorted);
    assertThat(sorted).isEqualTo(java.util.stream.IntStream.range(0, 103).toArray());
    assertThat(first.order(0)).isNotEqualTo(sorted);
  }

  @Test
  void aResumedEpochContinuesWithTheSameBatches() {
    Batches original = batches(5, false);
    List<Batch> full = new ArrayList<>();
    original.epoch(3).forEach(full::add);
    Batches resumed = batches(5, false);
    List<Batch> rest = new ArrayList<>();
    resumed.epoch(3, 4).forEach(rest::add);
    assertThat(rest).hasSize(full.size() - 4);
    for (int k = 0; k < rest.size(); k++) {
      assertThat(rest.get(k).index()).isEqualTo(k + 4);
      assertThat(rest.get(k).values()).isEqualTo(full.get(k + 4).values());
      assertThat(rest.get(k).exampleIndices()).isEqualTo(full.get(k + 4).exampleIndices());
    }
  }

  @Test
  void withoutShufflingBatchesFollowDataOrder() {
    Batches b = Batches.of(data).batchSize(25).shuffle(false).build();
    assertThat(b.indices(0, 1)).isEqualTo(java.util.stream.IntStream.range(25, 50).toArray());
    assertThat(b.order(7)).isEqualTo(b.order(0));
    assertThat(b.batch(0, 4).rows()).isEqualTo(3);
  }

  @Test
  void fillWritesTheSameBatchIntoCallerBuffers() {
    Batches b = batches(8, false);
    float[] values = new float[30];
    int[] labels = new int[10];
    int rows = b.fill(2, 10, values, labels);
    Batch made = b.batch(2, 10);
    assertThat(rows).isEqualTo(3);
    assertThat(Arrays.copyOf(values, 9)).isEqualTo(made.values());
    assertThat(Arrays.copyOf(labels, 3)).isEqualTo(made.labels());
  }

  @Test
  void unlabelledDataGivesBatchesWithoutLabels() {
    Batches b = Batches.of(data.withoutLabels()).batchSize(50).build();
    assertThat(b.batch(0, 0).labels()).isNull();
    assertThat(b.batch(0, 0).hasLabels()).isFalse();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> Batches.of(data).batchSize(0)).hasMessageContaining("batch size");
    assertThatThrownBy(() -> batches(1, false).order(-1)).hasMessageContaining("epochs count from 0");
    assertThatThrownBy(() -> batches(1, false).epoch(0, 12)).hasMessageContaining("first batch 12");
  }
}
