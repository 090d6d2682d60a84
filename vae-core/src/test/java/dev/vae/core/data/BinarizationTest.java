package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.Rng;
import dev.vae.api.backend.Philox;
import org.junit.jupiter.api.Test;

/** Static and dynamic Bernoulli binarisation: which draws stay fixed, which change, their mean. */
class BinarizationTest {
  private static final int N = 400;
  private static final int M = 50;

  /** Grey values spread over [0, 1], including exact 0 and 1. */
  private static DataSet grey() {
    float[] v = new float[N * M];
    Philox.uniformFloats(77, 0, v);
    v[0] = 0f;
    v[1] = 1f;
    return DataSet.of("grey", v, M);
  }

  private static float[] epochValues(Batches b, int epoch) {
    // the values of every example in data order, whatever batch they fell in
    float[] out = new float[N * M];
    for (Batch batch : b.epoch(epoch)) {
      for (int r = 0; r < batch.rows(); r++) {
        System.arraycopy(batch.values(), r * M, out, batch.exampleIndices()[r] * M, M);
      }
    }
    return out;
  }

  @Test
  void staticBinarisationIsOneFixedDraw() {
    DataSet grey = grey();
    Batches b = Batches.of(grey).batchSize(64).seed(3).binarization(Binarization.STATIC).build();
    float[] e0 = epochValues(b, 0);
    float[] e1 = epochValues(b, 1);
    assertThat(e0).containsOnly(0f, 1f);
    assertThat(e1).isEqualTo(e0);
    assertThat(b.data().toArray()).isEqualTo(e0);
    Batches rebuilt = Batches.of(grey).batchSize(10).seed(3).binarization(Binarization.STATIC).build();
    assertThat(rebuilt.data().toArray()).isEqualTo(e0);
    Batches otherSeed = Batches.of(grey).seed(4).binarization(Binarization.STATIC).build();
    assertThat(otherSeed.data().toArray()).isNotEqualTo(e0);
    assertThat(e0[0]).isZero();
    assertThat(e0[1]).isEqualTo(1f);
    assertMeanWithinStandardErrors(grey.toArray(), e0);
  }

  @Test
  void dynamicBinarisationDrawsAfreshEachEpochAndReproducesOnResume() {
    DataSet grey = grey();
    Batches b = Batches.of(grey).batchSize(64).seed(3).binarization(Binarization.DYNAMIC).build();
    float[] e0 = epochValues(b, 0);
    float[] e1 = epochValues(b, 1);
    assertThat(e0).containsOnly(0f, 1f);
    assertThat(e1).isNotEqualTo(e0);
    assertThat(b.data().toArray()).isEqualTo(grey.toArray());
    Batches resumed = Batches.of(grey).batchSize(64).seed(3).binarization(Binarization.DYNAMIC).build();
    assertThat(resumed.batch(1, 2).values()).isEqualTo(b.batch(1, 2).values());
    assertThat(b.batch(1, 2).values()).isEqualTo(b.batch(1, 2).values());
    assertThat(epochValues(resumed, 0)).isEqualTo(e0);
    assertMeanWithinStandardErrors(grey.toArray(), e0);
    assertMeanWithinStandardErrors(grey.toArray(), e1);
    // exact 0 and 1 stay put
    for (float[] e : new float[][] {e0, e1}) {
      assertThat(e[0]).isZero();
      assertThat(e[1]).isEqualTo(1f);
    }
  }

  @Test
  void dynamicDrawsChangeBetweenEpochsEvenWithoutShuffling() {
    DataSet grey = grey();
    Batches b = Batches.of(grey).batchSize(64).shuffle(false).seed(3)
        .binarization(Binarization.DYNAMIC).build();
    assertThat(b.batch(1, 0).exampleIndices()).isEqualTo(b.batch(0, 0).exampleIndices());
    assertThat(b.batch(1, 0).values()).isNotEqualTo(b.batch(0, 0).values());
    assertThat(b.batch(0, 1).values()).isNotEqualTo(b.batch(0, 0).values());
  }

  @Test
  void eachPixelIsOneWithItsProbabilityOverManyDraws() {
    // One grey level, drawn over many epochs: the frequency of ones estimates it.
    float p = 0.3f;
    float[] v = new float[20 * 10];
    java.util.Arrays.fill(v, p);
    Batches b = Batches.of(DataSet.of("flat", v, 10)).batchSize(7).seed(1)
        .binarization(Binarization.DYNAMIC).build();
    double ones = 0;
    int epochs = 50;
    for (int e = 0; e < epochs; e++) {
      for (float x : epochValues20(b, e)) {
        ones += x;
      }
    }
    double n = epochs * v.length;
    double se = Math.sqrt(p * (1 - p) / n);
    assertThat(Math.abs(ones / n - p)).isLessThan(5 * se);
  }

  private static float[] epochValues20(Batches b, int epoch) {
    float[] out = new float[200];
    int at = 0;
    for (Batch batch : b.epoch(epoch)) {
      System.arraycopy(batch.values(), 0, out, at, batch.values().length);
      at += batch.values().length;
    }
    return out;
  }

  @Test
  void noneLeavesValuesAlone() {
    DataSet grey = grey();
    Batches b = Batches.of(grey).batchSize(N).shuffle(false).build();
    assertThat(b.batch(0, 0).values()).isEqualTo(grey.toArray());
  }

  @Test
  void valuesOutsideTheUnitIntervalAreNamedWithTheirPlace() {
    float[] v = new float[4 * 3];
    v[2 * 3 + 1] = 1.5f;
    DataSet bad = DataSet.of("bad", v, 3);
    for (Binarization mode : new Binarization[] {Binarization.STATIC, Binarization.DYNAMIC}) {
      assertThatThrownBy(() -> Batches.of(bad).binarization(mode).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'bad'")
          .hasMessageContaining("example 2")
          .hasMessageContaining("feature 1")
          .hasMessageContaining("1.5");
    }
    v[2 * 3 + 1] = Float.NaN;
    assertThatThrownBy(() -> Binarization.checkUnitInterval(DataSet.of("nan", v, 3)))
        .hasMessageContaining("example 2, feature 1 has value NaN");
    float[] batch = {0.5f, -0.25f};
    assertThatThrownBy(() -> Binarization.DYNAMIC.applyToBatch(batch, 1, 2, new int[] {17}, "x", 1, 0, 0))
        .hasMessageContaining("example 17, feature 1 has value -0.25");
  }

  @Test
  void dynamicStreamsDifferPerBatchAndEpoch() {
    assertThat(Binarization.batchStream(1, 0, 0).seed()).isNotEqualTo(Binarization.batchStream(1, 0, 1).seed());
    assertThat(Binarization.batchStream(1, 0, 1).seed()).isNotEqualTo(Binarization.batchStream(1, 1, 0).seed());
    assertThat(Binarization.batchStream(1, 2, 3).seed()).isEqualTo(Binarization.batchStream(1, 2, 3).seed());
    assertThat(Binarization.drawOnce(grey(), new Rng(5)).toArray())
        .isEqualTo(Binarization.drawOnce(grey(), new Rng(5)).toArray());
  }

  /** The binarised mean is the grey mean within 5 standard errors of a sum of Bernoullis. */
  private static void assertMeanWithinStandardErrors(float[] grey, float[] binary) {
    double sumP = 0;
    double var = 0;
    double sumB = 0;
    for (int i = 0; i < grey.length; i++) {
      sumP += grey[i];
      var += grey[i] * (1.0 - grey[i]);
      sumB += binary[i];
    }
    double se = Math.sqrt(var);
    assertThat(Math.abs(sumB - sumP)).isLessThan(5 * se);
  }
}
