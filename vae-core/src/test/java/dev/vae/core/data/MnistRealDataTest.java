package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real MNIST, where this machine has it (scripts/fetch-mnist.sh puts it in the cache); skipped,
 * saying where it looked, where it does not.
 */
class MnistRealDataTest {
  @Test
  void theRealFilesHaveTheKnownSizesAndLabelCounts() {
    MnistLocator locator = MnistLocator.system();
    Optional<Path> dir = locator.find(Optional.empty());
    Assumptions.assumeTrue(
        dir.isPresent(),
        () -> "MNIST not found in " + locator.candidates(Optional.empty()).stream()
            .filter(c -> c.directory() != null).map(c -> c.directory().toString()).toList()
            + ": run " + MnistLocator.FETCH_SCRIPT);

    DataSet train = Mnist.load(dir.get(), Mnist.Split.TRAIN);
    DataSet test = Mnist.load(dir.get(), Mnist.Split.TEST);
    assertThat(train.size()).isEqualTo(60_000);
    assertThat(test.size()).isEqualTo(10_000);
    assertThat(train.imageShape()).contains(new ImageShape(28, 28));
    assertThat(test.imageShape()).contains(new ImageShape(28, 28));
    assertThat(train.classCounts())
        .containsExactly(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
    assertThat(test.classCounts()).containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);
    double mean = 0;
    for (double m : train.featureMeans()) {
      mean += m / train.features();
    }
    // The familiar normalisation constant of MNIST: mean pixel 0.1307.
    assertThat(mean).isCloseTo(0.1307, within(1e-4));
    float[] all = train.toArray();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : all) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isZero();
    assertThat(max).isEqualTo(1f);
  }
}
