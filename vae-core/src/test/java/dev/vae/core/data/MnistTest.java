package dev.vae.core.data;

import static dev.vae.core.data.IdxFiles.idx;
import static dev.vae.core.data.IdxFiles.labels;
import static dev.vae.core.data.IdxFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading MNIST's four files from a directory, on small fake files. */
class MnistTest {
  @TempDir Path dir;

  @Test
  void loadsBothSplitsFromPlainFiles() {
    IdxFiles.writeMnist(dir, 30, 12, false);
    DataSet train = Mnist.load(dir, Mnist.Split.TRAIN);
    DataSet test = Mnist.load(dir, Mnist.Split.TEST);
    assertThat(train.size()).isEqualTo(30);
    assertThat(test.size()).isEqualTo(12);
    assertThat(train.name()).isEqualTo("mnist-train");
    assertThat(test.name()).isEqualTo("mnist-test");
    assertThat(train.imageShape()).contains(new ImageShape(28, 28));
    assertThat(train.label(13)).isEqualTo(3);
    assertThat(train.get(2, 0)).isEqualTo(62 / 255f);
  }

  @Test
  void loadsGzippedFilesWithTheSameResult() throws Exception {
    IdxFiles.writeMnist(dir, 10, 5, true);
    Path plainDir = Files.createDirectory(dir.resolve("plain"));
    IdxFiles.writeMnist(plainDir, 10, 5, false);
    assertThat(Mnist.load(dir, Mnist.Split.TRAIN).toArray())
        .isEqualTo(Mnist.load(plainDir, Mnist.Split.TRAIN).toArray());
    assertThat(Mnist.missingFiles(dir)).isEmpty();
  }

  @Test
  void mismatchedImageAndLabelCountsNameBothFiles() {
    IdxFiles.writeMnist(dir, 10, 5, false);
    write(dir.resolve("t10k-labels-idx1-ubyte"), labels(4));
    assertThatThrownBy(() -> Mnist.load(dir, Mnist.Split.TEST))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("t10k-images-idx3-ubyte")
        .hasMessageContaining("t10k-labels-idx1-ubyte")
        .hasMessageContaining("dimension mismatch: it holds 5 images but")
        .hasMessageContaining("holds 4 labels");
  }

  @Test
  void labelsMustBeDigits() {
    IdxFiles.writeMnist(dir, 3, 3, false);
    write(dir.resolve("train-labels-idx1-ubyte"), idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 10, 2}));
    assertThatThrownBy(() -> Mnist.load(dir, Mnist.Split.TRAIN))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("label 1 is 10, not a digit 0-9");
  }

  @Test
  void aMissingFileSaysWhatWasLookedForAndHowToFetchIt() throws Exception {
    IdxFiles.writeMnist(dir, 3, 3, false);
    Files.delete(dir.resolve("train-images-idx3-ubyte"));
    assertThat(Mnist.missingFiles(dir)).containsExactly("train-images-idx3-ubyte");
    assertThatThrownBy(() -> Mnist.load(dir, Mnist.Split.TRAIN))
        .isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("train-images-idx3-ubyte (or train-images-idx3-ubyte.gz)")
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("scripts/fetch-mnist.sh");
    assertThat(Mnist.load(dir, Mnist.Split.TEST).size()).isEqualTo(3);
  }

  @Test
  void knowsTheStandardFileNames() {
    assertThat(Mnist.fileNames()).containsExactly(
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
  }
}
