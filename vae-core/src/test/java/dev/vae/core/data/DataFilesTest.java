package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's own data: NumPy arrays written by numpy 1.24 (test resources, their values in the
 * comments), pictures written here with known pixels, tables, and what each refuses.
 */
class DataFilesTest {
  @TempDir
  Path dir;

  private static Path npy(String name) throws URISyntaxException {
    return Path.of(DataFilesTest.class.getResource("/npy/" + name).toURI());
  }

  @Test
  void numpyArraysOfEveryLayoutAndTypeBecomeExamples() throws Exception {
    // np.array([[0.5, -1.25], [2, 3.75], [1e-3, 7]], dtype='<f4')
    DataSet rows = DataFiles.read(npy("float32-3x2.npy"), DataFiles.Request.plain());
    assertThat(rows.size()).isEqualTo(3);
    assertThat(rows.toArray()).containsExactly(0.5f, -1.25f, 2f, 3.75f, 1e-3f, 7f);
    assertThat(rows.imageShape()).isEmpty();
    // np.arange(12, dtype='>f8').reshape(2, 2, 3) / 8: grey pictures, big-endian doubles
    DataSet grey = NpyReader.readDataSet(npy("float64-be-2x2x3.npy"));
    assertThat(grey.imageShape()).contains(new ImageShape(2, 3));
    assertThat(grey.toArray()).containsExactly(0f, 0.125f, 0.25f, 0.375f, 0.5f, 0.625f, 0.75f, 0.875f, 1f, 1.125f,
        1.25f, 1.375f);
    // [[[[0, 255], [128, 64]]], [[[1, 2], [3, 4]]]] as u1, [n, c, h, w]; labels np.array([2, 0, 1]) as <i8
    DataSet bytes = NpyReader.readDataSet(npy("uint8-2x1x2x2.npy"));
    assertThat(bytes.imageShape()).contains(new ImageShape(1, 2, 2));
    assertThat(bytes.toArray()).containsExactly(0, 255, 128, 64, 1, 2, 3, 4);
    assertThat(NpyReader.readLabels(npy("int64-labels.npy"))).containsExactly(2, 0, 1);
    DataSet labelled = DataFiles.read(npy("float32-3x2.npy"), new DataFiles.Request(npy("int64-labels.npy"), null,
        null));
    assertThat(labelled.labels()).containsExactly(2, 0, 1);
    // format version 2: np.arange(6, dtype='<f4').reshape(2, 3)
    assertThat(NpyReader.readDataSet(npy("version2-2x3.npy")).toArray()).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void numpyArraysThatCannotBeExamplesAreRefusedSayingWhy() throws Exception {
    assertThatThrownBy(() -> NpyReader.readDataSet(npy("fortran-2x3.npy"))).isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("fortran-2x3.npy", "Fortran", "ascontiguousarray");
    assertThatThrownBy(() -> NpyReader.readDataSet(npy("complex.npy"))).isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("complex.npy", "<c8");
    assertThatThrownBy(() -> NpyReader.readDataSet(npy("int64-labels.npy"))).hasMessageContaining("[3]");
    Path truncated = dir.resolve("short.npy");
    byte[] whole = Files.readAllBytes(npy("float32-3x2.npy"));
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 3));
    assertThatThrownBy(() -> NpyReader.readDataSet(truncated)).hasMessageContainingAll("short.npy", "ends before");
    Path text = Files.writeString(dir.resolve("text.npy"), "a,b\n1,2\n");
    assertThatThrownBy(() -> NpyReader.readDataSet(text)).hasMessageContainingAll("text.npy", "not a .npy file");
    assertThatThrownBy(() -> DataFiles.read(npy("float32-3x2.npy"), new DataFiles.Request(npy("version2-2x3.npy"),
        null, null))).hasMessageContaining("[2, 3]");
  }

  @Test
  void writtenArraysReadBackAndKeepNumpysAlignment() throws IOException {
    Path matrix = dir.resolve("m.npy");
    NpyWriter.write(matrix, new double[][] {{1.5, -2}, {0.25, 1e-300}, {7, 8}}, 2);
    DataSet back = NpyReader.readDataSet(matrix);
    assertThat(back.size()).isEqualTo(3);
    assertThat(back.toArray()).containsExactly(1.5f, -2f, 0.25f, 0f, 7f, 8f);
    byte[] bytes = Files.readAllBytes(matrix);
    int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
    assertThat((10 + headerLength) % 64).as("the data start on a 64-byte boundary, as numpy writes").isZero();
    assertThat(bytes.length).isEqualTo(10 + headerLength + 6 * Double.BYTES);
    Path labels = dir.resolve("l.npy");
    NpyWriter.write(labels, new int[] {3, 0, 2});
    assertThat(NpyReader.readLabels(labels)).containsExactly(3, 0, 2);
    assertThatIllegalArgumentException().isThrownBy(() -> NpyWriter.write(matrix, new double[][] {{1}}, 2))
        .withMessageContaining("2 columns");
  }

  @Test
  void aFolderOfPicturesIsReadWithLabelsFromItsSubfolders() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("digits"));
    write(Files.createDirectories(folder.resolve("a")).resolve("1.png"), grey(new int[][] {{0, 51}, {102, 255}}));
    write(folder.resolve("a").resolve("2.png"), grey(new int[][] {{255, 0}, {0, 255}}));
    write(Files.createDirectories(folder.resolve("b")).resolve("3.png"), grey(new int[][] {{10, 20}, {30, 40}}));
    DataSet data = DataFiles.read(folder, DataFiles.Request.plain());
    assertThat(data.size()).isEqualTo(3);
    assertThat(data.imageShape()).contains(new ImageShape(2, 2));
    assertThat(data.labels()).containsExactly(0, 0, 1);
    assertThat(data.row(0)).containsExactly(new float[] {0f, 0.2f, 0.4f, 1f}, within(1e-6f));
    assertThat(data.row(2)).containsExactly(new float[] {10 / 255f, 20 / 255f, 30 / 255f, 40 / 255f}, within(1e-6f));
  }

  @Test
  void blackAndWhitePicturesWithAPaletteAreGrey() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("bits"));
    BufferedImage bits = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY);
    bits.getRaster().setSample(1, 0, 0, 1);
    write(folder.resolve("b.png"), bits);
    DataSet data = DataFiles.read(folder, DataFiles.Request.plain());
    assertThat(data.imageShape()).contains(new ImageShape(1, 3));
    assertThat(data.row(0)).containsExactly(0f, 1f, 0f);
  }

  @Test
  void colourPicturesHaveThreeChannelsAndResizeOnRequest() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("colour"));
    BufferedImage red = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        red.setRGB(x, y, (255 << 16) | (x * 50 << 8) | 7);
      }
    }
    write(folder.resolve("red.png"), red);
    write(folder.resolve("grey.png"), grey(new int[][] {{5, 5, 5, 5}, {5, 5, 5, 5}}));
    assertThatThrownBy(() -> DataFiles.read(folder, DataFiles.Request.plain())).isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("red.png", "2x3", "grey.png", "2x4", "resize");
    DataSet data = DataFiles.read(folder, new DataFiles.Request(null, null, new int[] {2, 3}));
    assertThat(data.imageShape()).contains(new ImageShape(3, 2, 3));
    float[] first = data.row(0);
    assertThat(first).as("grey.png, first by name, in three equal channels").containsOnly(5 / 255f);
    float[] second = data.row(1);
    assertThat(java.util.Arrays.copyOfRange(second, 0, 6)).containsOnly(1f);
    assertThat(java.util.Arrays.copyOfRange(second, 6, 9)).containsExactly(0f, 50 / 255f, 100 / 255f);
    assertThat(java.util.Arrays.copyOfRange(second, 12, 18)).containsOnly(7 / 255f);
  }

  @Test
  void tablesAndMistakesInTheRequest() throws IOException {
    Path tsv = Files.writeString(dir.resolve("t.tsv"), "x\ty\tclass\n1\t2\t0\n3\t4\t1\n");
    DataSet table = DataFiles.read(tsv, new DataFiles.Request(null, "class", null));
    assertThat(table.toArray()).containsExactly(1, 2, 3, 4);
    assertThat(table.labels()).containsExactly(0, 1);
    assertThatIllegalArgumentException().isThrownBy(() -> DataFiles.read(tsv, new DataFiles.Request(tsv, null, null)))
        .withMessageContainingAll("t.tsv", "label column");
    assertThatIllegalArgumentException().isThrownBy(() -> DataFiles.read(tsv, new DataFiles.Request(null, null,
        new int[] {2, 2}))).withMessageContaining("folder of pictures");
    Path other = Files.writeString(dir.resolve("notes.txt"), "hello");
    assertThatThrownBy(() -> DataFiles.read(other, DataFiles.Request.plain())).isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("notes.txt", ".npy", ".csv");
    assertThatThrownBy(() -> DataFiles.read(dir.resolve("missing.csv"), DataFiles.Request.plain()))
        .isInstanceOf(DataNotFoundException.class).hasMessageContaining("missing.csv");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> DataFiles.read(empty, DataFiles.Request.plain())).hasMessageContainingAll("empty",
        "no pictures");
  }

  private static BufferedImage grey(int[][] rows) {
    BufferedImage image = new BufferedImage(rows[0].length, rows.length, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < rows[0].length; x++) {
        image.getRaster().setSample(x, y, 0, rows[y][x]);
      }
    }
    return image;
  }

  private static void write(Path file, BufferedImage image) throws IOException {
    assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
  }
}
