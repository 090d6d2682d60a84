package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Batches made on the background thread are exactly those {@link Batches#fill} makes, in any order asked. */
class BatchPrefetcherTest {
  private static final int FEATURES = 6;

  /** 23 rows of probabilities in (0, 1) with labels, dynamically binarised in batches of 5 (the last of 3). */
  private static Batches binarised() {
    Random random = new Random(11);
    float[] values = new float[23 * FEATURES];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat();
    }
    int[] labels = new int[23];
    Arrays.setAll(labels, i -> i % 4);
    return Batches.of(DataSet.of("probabilities", values, FEATURES).withLabels(labels))
        .batchSize(5).seed(3).binarization(Binarization.DYNAMIC).build();
  }

  @Test
  void batchesInOrderMatchTheDirectlyMadeOnes() {
    Batches batches = binarised();
    for (int epoch = 0; epoch < 2; epoch++) {
      try (BatchPrefetcher prefetched = new BatchPrefetcher(batches, epoch, true)) {
        for (int b = 0; b < batches.batchesPerEpoch(); b++) {
          assertSameBatch(batches, prefetched, epoch, b, true);
        }
      }
    }
  }

  @Test
  void batchesOutOfOrderOrWithLabelsNotPrefetchedAreStillRight() {
    Batches batches = binarised();
    try (BatchPrefetcher prefetched = new BatchPrefetcher(batches, 1, false)) {
      assertSameBatch(batches, prefetched, 1, 0, false);
      assertSameBatch(batches, prefetched, 1, 3, false);
      assertSameBatch(batches, prefetched, 1, 2, false);
      assertSameBatch(batches, prefetched, 1, 3, true);
      assertSameBatch(batches, prefetched, 1, 4, true);
      assertThatThrownBy(() -> prefetched.fill(5, new float[5 * FEATURES], null))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("batch 5 of an epoch with 5 batches");
    }
  }

  private static void assertSameBatch(Batches batches, BatchPrefetcher prefetched, int epoch, int batch,
      boolean withLabels) {
    float[] expected = new float[batches.batchSize() * FEATURES];
    int[] expectedLabels = withLabels ? new int[batches.batchSize()] : null;
    int expectedRows = batches.fill(epoch, batch, expected, expectedLabels);
    float[] actual = new float[expected.length];
    int[] actualLabels = withLabels ? new int[batches.batchSize()] : null;
    assertThat(prefetched.fill(batch, actual, actualLabels)).isEqualTo(expectedRows);
    assertThat(Arrays.copyOf(actual, expectedRows * FEATURES))
        .containsExactly(Arrays.copyOf(expected, expectedRows * FEATURES));
    assertThat(actual).containsOnly(0f, 1f);
    if (withLabels) {
      assertThat(Arrays.copyOf(actualLabels, expectedRows)).containsExactly(Arrays.copyOf(expectedLabels, expectedRows));
    }
  }
}
