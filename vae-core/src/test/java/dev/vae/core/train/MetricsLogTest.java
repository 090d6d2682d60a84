package dev.vae.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run's metrics file holds each epoch once: rows after its checkpoint are cut. */
class MetricsLogTest {
  @TempDir
  Path dir;

  @Test
  void csvRowsOfLaterEpochsAndACutShortLastLineGo() throws IOException {
    Path file = Files.writeString(dir.resolve("metrics.csv"), "epoch,step,x\n1,10,0.5\n2,20,0.6\n3,30,0.7\n4,4");
    MetricsLog.forFile(file).keepEpochs(2);
    assertThat(Files.readString(file)).isEqualTo("epoch,step,x\n1,10,0.5\n2,20,0.6\n");
  }

  @Test
  void aNewRunSetsAnEarlierFileAsideUnderANameOfItsOwn() throws IOException {
    Path file = Files.writeString(dir.resolve("metrics.csv"), "epoch,kl_z1\n1,0.5\n");
    Files.writeString(dir.resolve("metrics.csv.previous"), "kept from before");
    MetricsLog.forFile(file).keepEpochs(0);
    assertThat(file).doesNotExist();
    assertThat(dir.resolve("metrics.csv.previous")).hasContent("kept from before");
    assertThat(dir.resolve("metrics.csv.previous-2")).hasContent("epoch,kl_z1\n1,0.5\n");
  }

  @Test
  void jsonLinesAreCutByTheirEpoch() throws IOException {
    Path file = Files.writeString(dir.resolve("metrics.jsonl"), "{\"epoch\": 1, \"x\": 1}\n{\"epoch\": 2, \"x\": 2}\n");
    MetricsLog.forFile(file).keepEpochs(1);
    assertThat(Files.readString(file)).isEqualTo("{\"epoch\": 1, \"x\": 1}\n");
  }

  @Test
  void aRowWithoutAnEpochIsNamedByFileAndLine() throws IOException {
    Path file = Files.writeString(dir.resolve("metrics.csv"), "epoch,x\n1,0.5\nbroken,row\n");
    assertThatThrownBy(() -> MetricsLog.forFile(file).keepEpochs(1)).isInstanceOf(IOException.class)
        .hasMessageContaining("metrics.csv line 3: expected a row that starts with its epoch number, got 'broken,row'");
  }

  @Test
  void noFileIsNothingToCut() throws IOException {
    MetricsLog.forFile(dir.resolve("none.csv")).keepEpochs(3);
    assertThat(dir.resolve("none.csv")).doesNotExist();
  }
}
