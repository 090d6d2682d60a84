package dev.vae.core.io;

import static dev.vae.core.io.CheckpointStoreTest.checkpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.testkit.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of ways the newest of three checkpoints gets damaged, each run through the same
 * story: load (what comes back, what is said, nothing deleted), then save again.
 */
class CheckpointCorruptionTest {
  private static final long OLDER = 20;
  private static final long NEWEST = 30;

  @TempDir
  Path root;

  private LogCapture log;

  @BeforeEach
  void captureLog() {
    log = LogCapture.of(CheckpointStore.class);
  }

  @AfterEach
  void releaseLog() {
    log.close();
  }

  /** What loading does after the damage. */
  enum Outcome {
    /** Skips the newest, loads the one before, and a save of the newest's step sets it aside. */
    FALLS_BACK,
    /** Loads the newest still: only LATEST was damaged, and loading trusts the directories. */
    LOADS_NEWEST,
    /** Refuses to load or save: the newest is of a newer format. */
    REFUSES
  }

  /** Damages a checkpoint directory, or the root's LATEST; {@code dir} is the newest checkpoint. */
  @FunctionalInterface
  interface Damage {
    void apply(Path root, Path dir) throws IOException;
  }

  /**
   * One row of the table.
   *
   * @param file the file damaged, relative to the root, {@code %s} standing for the newest's
   *     directory name; the messages must name it
   * @param says what the message must say about it
   */
  record Case(String name, String file, Damage damage, Outcome outcome, String says) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("parameters.safetensors truncated", "%s/parameters.safetensors",
            (r, d) -> truncate(d.resolve(CheckpointStore.PARAMETERS_FILE), 7), Outcome.FALLS_BACK,
            "bytes long but state.json records"),
        new Case("optimizer.safetensors truncated", "%s/optimizer.safetensors",
            (r, d) -> truncate(d.resolve(CheckpointStore.OPTIMIZER_FILE), 1), Outcome.FALLS_BACK,
            "bytes long but state.json records"),
        new Case("a byte flipped in a safetensors header", "%s/parameters.safetensors",
            (r, d) -> flip(d.resolve(CheckpointStore.PARAMETERS_FILE), 12), Outcome.FALLS_BACK, "CRC-32C"),
        new Case("a byte flipped in tensor data", "%s/optimizer.safetensors",
            (r, d) -> flip(d.resolve(CheckpointStore.OPTIMIZER_FILE), -1), Outcome.FALLS_BACK, "CRC-32C"),
        new Case("state.json truncated", "%s/state.json",
            (r, d) -> truncate(d.resolve(CheckpointStore.STATE_FILE), 40), Outcome.FALLS_BACK,
            "not well-formed JSON"),
        new Case("state.json not JSON", "%s/state.json",
            (r, d) -> Files.writeString(d.resolve(CheckpointStore.STATE_FILE), "step 30, epoch 3\n"),
            Outcome.FALLS_BACK, "not well-formed JSON"),
        new Case("state.json missing a field", "%s/state.json",
            (r, d) -> edit(d.resolve(CheckpointStore.STATE_FILE), "\"epoch\": 3,", ""), Outcome.FALLS_BACK,
            "field epoch is missing"),
        new Case("state.json of a newer version", "%s/state.json",
            (r, d) -> edit(d.resolve(CheckpointStore.STATE_FILE), "\"version\": 1,", "\"version\": 2,"),
            Outcome.REFUSES, "version 2 by a newer vae; this program reads version 1"),
        new Case("a file deleted", "%s/optimizer.safetensors",
            (r, d) -> Files.delete(d.resolve(CheckpointStore.OPTIMIZER_FILE)), Outcome.FALLS_BACK, "missing"),
        new Case("LATEST missing", "LATEST",
            (r, d) -> Files.delete(r.resolve(CheckpointStore.LATEST_FILE)), Outcome.LOADS_NEWEST, "is missing"),
        new Case("LATEST naming a step that does not exist", "LATEST",
            (r, d) -> Files.writeString(r.resolve(CheckpointStore.LATEST_FILE), "step-000000099\n"),
            Outcome.LOADS_NEWEST, "names step-000000099, which does not exist"),
        new Case("LATEST holding garbage", "LATEST",
            (r, d) -> Files.write(r.resolve(CheckpointStore.LATEST_FILE), new byte[] {'s', 0, (byte) 0xff, '\n'}),
            Outcome.LOADS_NEWEST, "does not name a checkpoint directory"));
  }

  private static void truncate(Path file, int bytesOff) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - bytesOff));
  }

  /** Flips the lowest bit of the byte at {@code at} (from the end if negative). */
  private static void flip(Path file, int at) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[at < 0 ? bytes.length + at : at] ^= 1;
    Files.write(file, bytes);
  }

  private static void edit(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  /** Every file under the root, by relative path, with its content as a string of bytes. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return files;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void loadingThenSavingAfterDamage(Case c) throws IOException {
    CheckpointStore store = new CheckpointStore(root, 3);
    store.save(checkpoint(10));
    store.save(checkpoint(OLDER));
    Path newest = store.save(checkpoint(NEWEST));
    String newestName = newest.getFileName().toString();
    c.damage().apply(root, newest);
    Path damaged = root.resolve(String.format(c.file(), newestName));
    Map<String, String> before = snapshot();
    log.clear();

    switch (c.outcome()) {
      case FALLS_BACK -> {
        assertThat(store.loadLatest()).contains(checkpoint(OLDER));
        assertThat(log.lines()).anySatisfy(m -> assertThat(m)
            .startsWith("WARNING").contains(newest.toString(), damaged.toString(), c.says()));
      }
      case LOADS_NEWEST -> {
        assertThat(store.loadLatest()).contains(checkpoint(NEWEST));
        assertThat(log.lines()).anySatisfy(m -> assertThat(m).contains(damaged.toString(), c.says()));
      }
      case REFUSES -> assertThatThrownBy(store::loadLatest).isInstanceOf(NewerFormatException.class)
          .hasMessageContainingAll(damaged.toString(), c.says());
    }
    assertThat(store.list()).filteredOn(e -> e.step() == NEWEST).singleElement()
        .satisfies(e -> e.problem().ifPresent(p -> assertThat(p).contains(damaged.toString(), c.says())));
    assertThat(snapshot()).as("files under the root after loading").isEqualTo(before);

    log.clear();
    switch (c.outcome()) {
      case FALLS_BACK -> {
        store.save(checkpoint(NEWEST));
        assertThat(store.loadLatest()).contains(checkpoint(NEWEST));
        assertThat(log.lines()).anySatisfy(m -> assertThat(m).startsWith("WARNING")
            .contains("Set aside", newest.toString(), damaged.toString(), c.says()));
        assertThat(snapshot()).as("the damaged checkpoint, set aside as it was")
            .containsAllEntriesOf(setAside(before, newestName + "/", newestName + ".corrupt/"));
        assertThat(store.list()).extracting(CheckpointStore.Entry::step).containsExactly(10L, OLDER, NEWEST);
      }
      case LOADS_NEWEST -> {
        assertThatThrownBy(() -> store.save(checkpoint(NEWEST))).isInstanceOf(FileAlreadyExistsException.class);
        store.save(checkpoint(40));
        assertThat(Files.readString(root.resolve(CheckpointStore.LATEST_FILE))).isEqualTo("step-000000040\n");
        assertThat(store.list()).extracting(CheckpointStore.Entry::step).containsExactly(OLDER, NEWEST, 40L);
        assertThat(snapshot().keySet()).noneMatch(k -> k.contains(".corrupt"));
      }
      case REFUSES -> {
        assertThatThrownBy(() -> store.save(checkpoint(NEWEST))).isInstanceOf(NewerFormatException.class)
            .hasMessageContaining(damaged.toString());
        assertThatThrownBy(() -> store.save(checkpoint(40))).isInstanceOf(NewerFormatException.class);
        assertThat(snapshot()).as("files under the root after refused saves").isEqualTo(before);
      }
    }
  }

  /** The entries of {@code files} under directory {@code from}, renamed to be under {@code to}. */
  private static Map<String, String> setAside(Map<String, String> files, String from, String to) {
    Map<String, String> moved = new TreeMap<>();
    files.forEach((k, v) -> {
      if (k.startsWith(from)) {
        moved.put(to + k.substring(from.length()), v);
      }
    });
    assertThat(moved).isNotEmpty();
    return moved;
  }
}
