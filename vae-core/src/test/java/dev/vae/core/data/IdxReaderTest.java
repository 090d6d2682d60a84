package dev.vae.core.data;

import static dev.vae.core.data.IdxFiles.gzip;
import static dev.vae.core.data.IdxFiles.idx;
import static dev.vae.core.data.IdxFiles.images;
import static dev.vae.core.data.IdxFiles.labels;
import static dev.vae.core.data.IdxFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading IDX files, plain and gzip, and every way a file can be malformed. */
class IdxReaderTest {
  @TempDir Path dir;

  @Test
  void readsImagesScaledToTheUnitInterval() {
    Path f = write(dir.resolve("imgs"), images(3, 2, 4));
    DataSet d = IdxReader.readImages(f);
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.features()).isEqualTo(8);
    assertThat(d.imageShape()).contains(new ImageShape(2, 4));
    assertThat(d.get(2, 5)).isEqualTo((2 * 31 + 5) / 255f);
    assertThat(d.name()).isEqualTo("imgs");
    byte[] full = idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1, 2}, new byte[] {(byte) 255, 0});
    assertThat(IdxReader.readImages(write(dir.resolve("extremes"), full)).toArray()).containsExactly(1f, 0f);
  }

  @Test
  void readsLabelsAsUnsignedBytes() {
    byte[] bytes = idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {7, 0, (byte) 200});
    assertThat(IdxReader.readLabels(write(dir.resolve("l"), bytes))).containsExactly(7, 0, 200);
  }

  @Test
  void detectsGzipByContentNotByName() {
    byte[] plain = images(4, 3, 3);
    Path gzNoSuffix = write(dir.resolve("compressed-without-suffix"), gzip(plain));
    Path plainWithGzName = write(dir.resolve("plain-named.gz"), plain);
    assertThat(IdxReader.isGzip(gzNoSuffix)).isTrue();
    assertThat(IdxReader.isGzip(plainWithGzName)).isFalse();
    float[] expected = IdxReader.readImages(write(dir.resolve("plain"), plain)).toArray();
    assertThat(IdxReader.readImages(gzNoSuffix).toArray()).isEqualTo(expected);
    assertThat(IdxReader.readImages(plainWithGzName).toArray()).isEqualTo(expected);
  }

  @Test
  void badMagicNumberShowsExpectedAndFoundInHex() {
    Path f = write(dir.resolve("bad"), idx(0x12345678, new int[] {1}, new byte[] {1}));
    assertThatThrownBy(() -> IdxReader.readLabels(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("bad magic number")
        .hasMessageContaining("expected 0x00000801")
        .hasMessageContaining("found 0x12345678");
    // An image file handed to the label reader has the right type but the wrong rank.
    Path img = write(dir.resolve("img"), images(1, 2, 2));
    assertThatThrownBy(() -> IdxReader.readLabels(img))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("wrong number of dimensions: expected 1 (magic 0x00000801), found 3 (magic 0x00000803)");
    Path lbl = write(dir.resolve("lbl"), labels(2));
    assertThatThrownBy(() -> IdxReader.readImages(lbl))
        .hasMessageContaining("expected 3")
        .hasMessageContaining("found 1");
    // A float32 IDX file (type 0x0D) is not unsigned bytes.
    Path floats = write(dir.resolve("floats"), idx(0x00000D01, new int[] {0}, new byte[0]));
    assertThatThrownBy(() -> IdxReader.readLabels(floats))
        .hasMessageContaining("bad magic number")
        .hasMessageContaining("found 0x00000D01");
  }

  @Test
  void badMagicIsAlsoFoundInsideGzip() {
    Path f = write(dir.resolve("bad.gz"), gzip(idx(0x0000FFFF, new int[] {}, new byte[0])));
    assertThatThrownBy(() -> IdxReader.readImages(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad magic number (after gzip decompression)")
        .hasMessageContaining("found 0x0000FFFF");
  }

  @Test
  void truncatedDataSaysHowManyBytesWereExpectedAndFound() {
    byte[] full = images(5, 4, 4);
    byte[] cut = Arrays.copyOf(full, full.length - 7);
    Path f = write(dir.resolve("cut"), cut);
    assertThatThrownBy(() -> IdxReader.readImages(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("truncated data")
        .hasMessageContaining("5 x 4 x 4 = 80 bytes")
        .hasMessageContaining("found 73");
    Path g = write(dir.resolve("cut.gz"), gzip(cut));
    assertThatThrownBy(() -> IdxReader.readImages(g))
        .hasMessageContaining("truncated data (after gzip decompression)")
        .hasMessageContaining("found 73");
  }

  @Test
  void truncatedHeaderAndEmptyFilesAreNamed() {
    Path header = write(dir.resolve("header"), Arrays.copyOf(images(1, 2, 2), 9));
    assertThatThrownBy(() -> IdxReader.readImages(header))
        .hasMessageContaining("truncated header: expected 16 bytes, found 9");
    Path magic = write(dir.resolve("magic"), new byte[] {0, 0});
    assertThatThrownBy(() -> IdxReader.readImages(magic))
        .hasMessageContaining("truncated header: expected a 4-byte magic number, found 2 bytes");
    Path empty = write(dir.resolve("empty"), new byte[0]);
    assertThatThrownBy(() -> IdxReader.readLabels(empty))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("empty file");
    Path emptyGz = write(dir.resolve("empty.gz"), gzip(new byte[0]));
    assertThatThrownBy(() -> IdxReader.readLabels(emptyGz))
        .hasMessageContaining("empty file (after gzip decompression)");
  }

  @Test
  void aCorruptGzipStreamIsAFormatError() {
    byte[] gz = gzip(images(20, 8, 8));
    Path cut = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
    assertThatThrownBy(() -> IdxReader.readImages(cut))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("corrupt or truncated gzip data");
  }

  @Test
  void trailingBytesAreReported() {
    byte[] full = labels(4);
    Path f = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 3));
    assertThatThrownBy(() -> IdxReader.readLabels(f))
        .hasMessageContaining("trailing data")
        .hasMessageContaining("found 3 more");
  }

  @Test
  void impossibleSizesAreRejectedBeforeReading() {
    Path huge = write(dir.resolve("huge"), idx(IdxReader.IMAGES_MAGIC, new int[] {-1, 28, 28}, new byte[0]));
    assertThatThrownBy(() -> IdxReader.readImages(huge)).hasMessageContaining("dimension 0 is 4294967295");
    Path big = write(dir.resolve("big"), idx(IdxReader.IMAGES_MAGIC, new int[] {1 << 20, 1 << 10, 1 << 10}, new byte[0]));
    assertThatThrownBy(() -> IdxReader.readImages(big)).hasMessageContaining("more elements than one array can hold");
    Path zero = write(dir.resolve("zero"), idx(IdxReader.IMAGES_MAGIC, new int[] {1, 0, 3}, new byte[0]));
    assertThatThrownBy(() -> IdxReader.readImages(zero)).hasMessageContaining("positive sides");
  }

  @Test
  void aMissingFileIsAnIoErrorNamingIt() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> IdxReader.readLabels(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
  }
}
