package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.VaeRun;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vae lesson ring` trains on the ring, prints its numbers and writes its picture; a lesson must be named. */
class LessonCommandTest {
  @TempDir
  Path dir;

  @Test
  void theRingLessonWritesItsPictureAndALikelihoodBetterThanOneGaussian() {
    VaeRun ring = VaeRun.of("lesson", "ring", "--run", dir.toString(), "--epochs", "8", "--examples", "2000");
    assertThat(ring.exitCode()).as(ring.err()).isZero();
    assertThat(dir.resolve("ring.png")).isNotEmptyFile();
    Matcher nll = Pattern.compile("test -log p\\(x\\) (\\d+\\.\\d+) nats").matcher(ring.out());
    assertThat(nll.find()).as(ring.out()).isTrue();
    // One Gaussian fitted to the ring scores log(2πe·0.635) ≈ 2.38 nats: the VAE must do better.
    assertThat(Double.parseDouble(nll.group(1))).isLessThan(2.3);
  }

  @Test
  void aLessonMustBeNamed() {
    VaeRun none = VaeRun.of("lesson");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("name a lesson: ring");
  }
}
