package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import dev.vae.core.testkit.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Saves onto a real file system that runs out of space: a 512 KiB tmpfs, mounted for each test.
 * Mounting needs Linux and the right to mount (root, usually); elsewhere the tests are skipped.
 */
class CheckpointStoreFullDiskTest {
  private static final int FLOATS = 10_000;

  @TempDir
  Path temp;

  private Tmpfs mounted;
  private Path disk;

  @BeforeEach
  void mountSmallDisk() throws IOException, InterruptedException {
    mounted = Tmpfs.mount(temp.resolve("disk"), "512k");
    disk = mounted.directory();
  }

  @AfterEach
  void unmount() throws IOException, InterruptedException {
    if (mounted != null) {
      mounted.close();
    }
  }

  /** A checkpoint of about 80 KB: 40 KB of parameters and 40 KB of optimizer state. */
  private static Checkpoint large(long step) {
    float[] w = new float[FLOATS];
    for (int i = 0; i < w.length; i++) {
      w[i] = step + i;
    }
    return Checkpoint.builder(step).epoch(step / 10)
        .parameter("w", HostTensor.ofFloats(w, FLOATS))
        .optimizerSlot("w/m", HostTensor.ofFloats(w.clone(), FLOATS))
        .rng("data", new RngState(1, step))
        .build();
  }

  private Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  /**
   * Fills the disk but for {@code freeBytes}, so that the next save fails in the parameters, in the
   * optimizer state or in state.json.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 20_000, 60_000, 82_000})
  void aSaveThatRunsOutOfSpaceLeavesThePreviousCheckpointLoadable(int freeBytes) throws IOException {
    Path root = disk.resolve("checkpoints");
    CheckpointStore store = new CheckpointStore(root, 1);
    store.save(large(10));
    Map<String, byte[]> before = files(root);
    Path filler = disk.resolve("filler");
    long usable = Files.getFileStore(disk).getUsableSpace();
    Files.write(filler, new byte[(int) Math.max(0, usable - freeBytes)]);

    assertThatThrownBy(() -> store.save(large(20))).isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device");

    Map<String, byte[]> after = files(root);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
    try (Stream<Path> s = Files.list(root)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("LATEST", "step-000000010");
    }
    assertThat(store.loadLatest()).contains(large(10));

    Files.delete(filler);
    store.save(large(20));
    assertThat(new CheckpointStore(root, 1).loadLatest()).contains(large(20));
    assertThat(store.list()).extracting(CheckpointStore.Entry::step).isEqualTo(List.of(20L));
  }
}
