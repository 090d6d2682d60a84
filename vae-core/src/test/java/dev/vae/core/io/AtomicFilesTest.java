package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir
  Path dir;

  private List<Path> entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  @Test
  void createsAndReplacesFiles() throws IOException {
    Path target = dir.resolve("data.bin");
    AtomicFiles.write(target, pattern(1000, 1));
    assertThat(Files.readAllBytes(target)).isEqualTo(pattern(1000, 1));

    AtomicFiles.write(target, out -> {
      out.write(pattern(200_000, 2));
      out.close(); // allowed: does not end the write early or lose buffered bytes
    });

    assertThat(Files.readAllBytes(target)).isEqualTo(pattern(200_000, 2));
    assertThat(entries()).containsExactly(target);
  }

  @Test
  void failureMidWriteKeepsTheOldFileAndRemovesTheTemporary() throws IOException {
    Path target = dir.resolve("model.bin");
    byte[] old = pattern(5000, 7);
    Files.write(target, old);
    List<Path> seenDuringWrite = new java.util.ArrayList<>();

    assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
      out.write(pattern(300_000, 9)); // more than the buffer: bytes reach the temporary file
      out.flush();
      seenDuringWrite.addAll(entries());
      throw new IOException("disk full (simulated)");
    })).isInstanceOf(IOException.class).hasMessage("disk full (simulated)");

    assertThat(seenDuringWrite).hasSize(2).contains(target);
    Path temp = seenDuringWrite.stream().filter(p -> !p.equals(target)).findFirst().orElseThrow();
    assertThat(AtomicFiles.isTemporary(temp)).isTrue();
    assertThat(temp.getFileName().toString()).startsWith(".model.bin.");
    assertThat(Files.readAllBytes(target)).isEqualTo(old);
    assertThat(entries()).containsExactly(target);
  }

  @Test
  void uncheckedFailureAlsoCleansUp() throws IOException {
    Path target = dir.resolve("state.json");
    Files.writeString(target, "{\"step\": 1}");

    assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
      out.write("{\"step\": 2, \"half".getBytes(StandardCharsets.UTF_8));
      throw new UncheckedIOException(new IOException("interrupted"));
    })).isInstanceOf(UncheckedIOException.class);

    assertThat(Files.readString(target)).isEqualTo("{\"step\": 1}");
    assertThat(entries()).containsExactly(target);
  }

  @Test
  void failureWithNoPreviousFileLeavesNothing() {
    Path target = dir.resolve("new.bin");

    assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
      out.write(1);
      throw new IOException("boom");
    })).hasMessage("boom");

    assertThat(target).doesNotExist();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void failedRenameRemovesTheTemporary() throws IOException {
    Path target = dir.resolve("occupied");
    Files.createDirectory(target);
    Files.writeString(target.resolve("inside"), "x");

    assertThatThrownBy(() -> AtomicFiles.write(target, new byte[] {1, 2, 3})).isInstanceOf(IOException.class);

    assertThat(entries()).containsExactly(target);
    assertThat(Files.readString(target.resolve("inside"))).isEqualTo("x");
  }

  @Test
  void missingDirectoryFailsWithoutLeftovers() {
    assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("no/such/file"), new byte[1]))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void recognisesTemporaryNames() {
    assertThat(AtomicFiles.isTemporary(Path.of(".a.0123456789ab.tmp"))).isTrue();
    assertThat(AtomicFiles.isTemporary(AtomicFiles.temporaryName(dir, "LATEST"))).isTrue();
    assertThat(AtomicFiles.isTemporary(Path.of("a.tmp"))).isFalse();
    assertThat(AtomicFiles.isTemporary(Path.of(".tmp"))).isFalse();
    assertThat(AtomicFiles.isTemporary(Path.of(".hidden"))).isFalse();
    assertThat(AtomicFiles.isTemporary(Path.of("step-000000001"))).isFalse();
  }
}
