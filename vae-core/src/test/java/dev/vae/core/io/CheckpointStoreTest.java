package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.core.io.CheckpointStore.Phase;
import dev.vae.core.testkit.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointStoreTest {
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

  private List<String> warnings() {
    return log.warnings();
  }

  /** A checkpoint whose every part depends on the step, so two steps never compare equal. */
  static Checkpoint checkpoint(long step) {
    float[] w = new float[6];
    for (int i = 0; i < w.length; i++) {
      w[i] = step + i / 8f;
    }
    return Checkpoint.builder(step)
        .epoch(step / 10)
        .parameter("encoder.0.weight", HostTensor.ofFloats(w, 2, 3))
        .parameter("encoder.0.bias", HostTensor.fromDoubles(new double[] {step, -step}, Shape.of(2), DType.FLOAT64))
        .optimizerSlot("encoder.0.weight/m", HostTensor.ofFloats(new float[6], 2, 3))
        .optimizerSlot("steps", HostTensor.ofLongs(new long[] {step}))
        .rng("data", new Rng(-42, step * 1000))
        .rng("model", new RngState(Long.MIN_VALUE, Long.MAX_VALUE))
        .config(Map.of("likelihood", "bernoulli", "latent", "16", "nested", "{\"json\": [1, 2]}"))
        .extra("learning_rate", "0.001")
        .extra("best.elbo", "-" + step)
        .build();
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private String latest() throws IOException {
    return Files.readString(root.resolve(CheckpointStore.LATEST_FILE), StandardCharsets.UTF_8);
  }

  /** A copy of a saved checkpoint under another step's name, as if written by someone else. */
  private Path copyAs(long fromStep, long toStep) throws IOException {
    Path from = root.resolve(CheckpointStore.directoryName(fromStep));
    Path to = root.resolve(CheckpointStore.directoryName(toStep));
    Files.createDirectory(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
    Path state = to.resolve(CheckpointStore.STATE_FILE);
    Files.writeString(state, Files.readString(state).replace("\"step\": " + fromStep, "\"step\": " + toStep));
    return to;
  }

  // ---------------------------------------------------------------------------------------------
  // Round trip and layout

  @Test
  void savesAndLoadsEverything() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 3);
    Checkpoint c = checkpoint(1200);

    Path saved = store.save(c);

    assertThat(saved).isEqualTo(root.resolve("step-000001200"));
    assertThat(store.loadLatest()).contains(c);
    assertThat(store.load(1200)).isEqualTo(c);
    assertThat(store.load(1200).rngStates().get("data").toRng().offset()).isEqualTo(1_200_000);
    assertThat(names()).containsExactly("LATEST", "step-000001200");
    assertThat(latest()).isEqualTo("step-000001200\n");
    try (Stream<Path> s = Files.list(saved)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("optimizer.safetensors", "parameters.safetensors", "state.json");
    }
  }

  @Test
  void filesAreReadableOnTheirOwn() throws IOException {
    Path saved = new CheckpointStore(root, 1).save(checkpoint(7));

    SafeTensors.Contents params = SafeTensors.read(saved.resolve(CheckpointStore.PARAMETERS_FILE));
    assertThat(params.tensors()).isEqualTo(checkpoint(7).parameters());
    assertThat(params.metadata()).containsEntry("step", "7");

    Object state = assertParses(Files.readString(saved.resolve(CheckpointStore.STATE_FILE)));
    assertThat(state).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("format", "dev.vae.checkpoint")
        .containsEntry("step", 7L)
        .containsEntry("epoch", 0L)
        .containsEntry("config", Map.of("latent", "16", "likelihood", "bernoulli", "nested", "{\"json\": [1, 2]}"))
        .containsEntry("rng", Map.of("data", Map.of("seed", -42L, "offset", 7000L),
            "model", Map.of("seed", Long.MIN_VALUE, "offset", Long.MAX_VALUE)))
        .containsKey("files");
  }

  private static Object assertParses(String json) {
    try {
      return Json.parse(json);
    } catch (Json.ParseException e) {
      throw new AssertionError("state.json does not parse: " + e.getMessage(), e);
    }
  }

  @Test
  void emptyOrMissingRootHasNothingToLoad() throws IOException {
    CheckpointStore store = new CheckpointStore(root.resolve("not-yet"), 2);
    assertThat(store.loadLatest()).isEmpty();
    assertThat(store.list()).isEmpty();
    assertThatThrownBy(() -> store.load(5)).isInstanceOf(NoSuchFileException.class).hasMessageContaining("step 5");
  }

  @Test
  void rejectsKeepingNothing() {
    assertThatThrownBy(() -> new CheckpointStore(root, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // Retention

  @Test
  void keepsTheNewestK() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 2);
    for (long step : new long[] {10, 20, 30, 40}) {
      store.save(checkpoint(step));
    }

    assertThat(names()).containsExactly("LATEST", "step-000000030", "step-000000040");
    assertThat(store.list()).extracting(CheckpointStore.Entry::step).containsExactly(30L, 40L);
    assertThat(store.loadLatest()).contains(checkpoint(40));
    assertThat(store.load(30)).isEqualTo(checkpoint(30));
  }

  @Test
  void retentionCountsOnlyCompleteCheckpoints() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 1);
    store.save(checkpoint(10));
    Path broken = copyAs(10, 15);
    Files.delete(broken.resolve(CheckpointStore.OPTIMIZER_FILE));

    store.save(checkpoint(20));

    assertThat(names()).containsExactly("LATEST", "step-000000020");
  }

  // ---------------------------------------------------------------------------------------------
  // Choosing the checkpoint to load

  @Test
  void skipsAnIncompleteNewestCheckpointWithAWarning() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 5);
    store.save(checkpoint(10));
    store.save(checkpoint(20));
    Path half = copyAs(20, 30);
    Files.delete(half.resolve(CheckpointStore.STATE_FILE));

    Optional<Checkpoint> loaded = store.loadLatest();

    assertThat(loaded).contains(checkpoint(20));
    assertThat(warnings()).singleElement().asString()
        .contains("Skipping incomplete checkpoint", "step-000000030", "state.json", "missing");
    assertThat(store.list()).extracting(e -> e.step() + ":" + e.complete())
        .containsExactly("10:true", "20:true", "30:false");
    assertThatThrownBy(() -> store.load(30)).isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("state.json: missing");
  }

  @Test
  void skipsACheckpointWithATruncatedFile() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 5);
    store.save(checkpoint(10));
    Path cut = copyAs(10, 11);
    Path params = cut.resolve(CheckpointStore.PARAMETERS_FILE);
    byte[] bytes = Files.readAllBytes(params);
    Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length - 3));

    assertThat(store.loadLatest()).contains(checkpoint(10));
    assertThat(warnings()).singleElement().asString().contains("step-000000011", "parameters.safetensors",
        "is " + (bytes.length - 3) + " bytes long but state.json records " + bytes.length);
  }

  @Test
  void skipsACheckpointWhoseContentChangedAtTheSameSize() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 5);
    store.save(checkpoint(10));
    Path flipped = copyAs(10, 11);
    Path opt = flipped.resolve(CheckpointStore.OPTIMIZER_FILE);
    byte[] bytes = Files.readAllBytes(opt);
    bytes[bytes.length - 1] ^= 1;
    Files.write(opt, bytes);

    assertThat(store.list()).extracting(CheckpointStore.Entry::complete).containsExactly(true, true);
    assertThat(store.loadLatest()).contains(checkpoint(10));
    assertThat(warnings()).singleElement().asString().contains("Skipping corrupt checkpoint", "step-000000011");
    assertThatThrownBy(() -> store.load(11)).isInstanceOf(CorruptFileException.class)
        .hasMessageContainingAll("optimizer.safetensors", "CRC-32C")
        .satisfies(e -> assertThat(((CorruptFileException) e).file()).isEqualTo(opt));
  }

  @Test
  void corruptStateFilesNameTheFileAndTheField() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 5);
    Path dir = store.save(checkpoint(10));
    Path state = dir.resolve(CheckpointStore.STATE_FILE);
    String good = Files.readString(state);

    Files.writeString(state, good.substring(0, good.length() / 2));
    assertThatThrownBy(() -> CheckpointStore.read(dir)).isInstanceOf(CorruptFileException.class)
        .hasMessageContainingAll(state.toString(), "not well-formed JSON");

    Files.writeString(state, good.replace("\"epoch\": 1", "\"epoch\": \"one\""));
    assertThatThrownBy(() -> CheckpointStore.read(dir)).hasMessageContainingAll(state.toString(),
        "field epoch is not an integer");

    Files.writeString(state, good.replace("\"offset\": 10000", "\"offset\": -3"));
    assertThatThrownBy(() -> CheckpointStore.read(dir)).hasMessageContaining("field rng.data.offset is negative");

    Files.writeString(state, good.replace("\"step\": 10", "\"step\": 11"));
    assertThatThrownBy(() -> CheckpointStore.read(dir)).hasMessageContaining("records step 11 but its directory");

    Files.writeString(state, good.replace("dev.vae.checkpoint", "something.else"));
    assertThatThrownBy(() -> CheckpointStore.read(dir)).hasMessageContaining("format is \"something.else\"");

    Files.writeString(state, good);
    assertThat(CheckpointStore.read(dir)).isEqualTo(checkpoint(10));
  }

  @Test
  void loadsTheNewestCompleteCheckpointEvenIfLatestLags() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 5);
    store.save(checkpoint(10));
    store.save(checkpoint(20));
    Files.writeString(root.resolve(CheckpointStore.LATEST_FILE), "step-000000010\n");

    assertThat(store.loadLatest()).contains(checkpoint(20));
  }

  // ---------------------------------------------------------------------------------------------
  // Checkpoints of a newer format

  /** Rewrites a checkpoint's state.json as if a vae reading format {@code version} had saved it. */
  static void recordVersion(Path dir, int version) throws IOException {
    Path state = dir.resolve(CheckpointStore.STATE_FILE);
    String text = Files.readString(state);
    String newer = text.replace("\"version\": " + CheckpointStore.VERSION, "\"version\": " + version);
    assertThat(newer).isNotEqualTo(text);
    Files.writeString(state, newer);
  }

  /** Every file under the root, by relative path, with its content. */
  private Map<String, List<Byte>> snapshot() throws IOException {
    Map<String, List<Byte>> files = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
          list.add(b);
        }
        files.put(root.relativize(p).toString(), list);
      }
    }
    return files;
  }

  @Test
  void aNewerFormatIsRefusedNamingBothVersionsAndLeftAlone() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 2);
    store.save(checkpoint(10));
    Path newer = store.save(checkpoint(20));
    recordVersion(newer, CheckpointStore.VERSION + 1);
    Path state = newer.resolve(CheckpointStore.STATE_FILE);
    Map<String, List<Byte>> before = snapshot();

    assertThatThrownBy(store::loadLatest).isInstanceOf(NewerFormatException.class)
        .hasMessageContainingAll(state.toString(), "version 2 by a newer vae", "reads version 1", "upgrade vae")
        .satisfies(e -> {
          NewerFormatException n = (NewerFormatException) e;
          assertThat(n.file()).isEqualTo(state);
          assertThat(n.version()).isEqualTo(2);
          assertThat(n.supported()).isEqualTo(CheckpointStore.VERSION);
        });
    assertThatThrownBy(() -> store.load(20)).isInstanceOf(NewerFormatException.class);
    assertThat(store.list()).extracting(e -> e.step() + ":" + e.problem().orElse(""))
        .containsExactly("10:", "20:" + new NewerFormatException(state, 2, 1).getMessage());
    for (long step : new long[] {20, 30, 15}) {
      assertThatThrownBy(() -> store.save(checkpoint(step))).isInstanceOf(NewerFormatException.class)
          .hasMessageContaining(state.toString());
    }
    assertThatThrownBy(() -> store.deleteNewerThan(10)).isInstanceOf(NewerFormatException.class);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aNewerFormatAnywhereStopsLoadingAndSavingBeforeTheyChangeAnything() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 5);
    Path newer = store.save(checkpoint(10));
    store.save(checkpoint(20));
    recordVersion(newer, 7);
    Path leftover = root.resolve(".step-000000030.0123456789ab.tmp");
    Files.createDirectory(leftover);
    Map<String, List<Byte>> before = snapshot();
    CheckpointStore keepingOne = new CheckpointStore(root, 1);

    assertThatThrownBy(keepingOne::loadLatest).isInstanceOf(NewerFormatException.class)
        .hasMessageContaining("version 7");
    assertThatThrownBy(() -> keepingOne.save(checkpoint(30))).isInstanceOf(NewerFormatException.class);

    assertThat(snapshot()).isEqualTo(before);
    assertThat(leftover).isDirectory();
  }

  @Test
  void anOlderFormatIsAnOrdinaryCorruptFile() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 2);
    Path dir = store.save(checkpoint(10));
    recordVersion(dir, 0);

    assertThatThrownBy(() -> CheckpointStore.read(dir)).isExactlyInstanceOf(CorruptFileException.class)
        .hasMessageContaining("version 0");
    assertThat(store.loadLatest()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Atomicity

  /** Fails a save at {@code failAt} as a full disk would. */
  private CheckpointStore fullAt(Phase failAt, int keep) {
    return new CheckpointStore(root, keep, phase -> {
      if (phase == failAt) {
        throw new FileSystemException(root.toString(), null, "No space left on device (at " + phase + ")");
      }
    });
  }

  @ParameterizedTest
  @EnumSource(Phase.class)
  void aFullDiskAtAnyPhaseLeavesThePreviousCheckpointIntactAndLoadable(Phase failAt) throws IOException {
    new CheckpointStore(root, 1).save(checkpoint(10));
    Map<String, List<Byte>> before = snapshot();
    boolean committed = failAt.compareTo(Phase.COMMITTED) >= 0;

    assertThatThrownBy(() -> fullAt(failAt, 1).save(checkpoint(20))).isInstanceOf(FileSystemException.class)
        .hasMessageContaining("No space left on device");

    assertThat(snapshot()).as("the previous checkpoint and LATEST, byte for byte")
        .containsAllEntriesOf(committed ? withoutLatest(before) : before);
    assertThat(names()).noneMatch(n -> AtomicFiles.isTemporary(Path.of(n)))
        .containsExactlyElementsOf(committed
            ? List.of("LATEST", "step-000000010", "step-000000020") : List.of("LATEST", "step-000000010"));
    CheckpointStore store = new CheckpointStore(root, 1);
    assertThat(store.load(10)).isEqualTo(checkpoint(10));
    assertThat(store.loadLatest()).contains(committed ? checkpoint(20) : checkpoint(10));
    assertThat(latest()).isEqualTo(failAt == Phase.LATEST_WRITTEN ? "step-000000020\n" : "step-000000010\n");

    store.save(checkpoint(30));
    assertThat(names()).containsExactly("LATEST", "step-000000030");
  }

  private static Map<String, List<Byte>> withoutLatest(Map<String, List<Byte>> files) {
    Map<String, List<Byte>> rest = new java.util.TreeMap<>(files);
    rest.remove(CheckpointStore.LATEST_FILE);
    return rest;
  }

  @Test
  void leftoversOfAnInterruptedSaveAreIgnoredThenSwept() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 3);
    store.save(checkpoint(10));
    Path leftover = root.resolve(".step-000000020.0123456789ab.tmp");
    Files.createDirectory(leftover);
    Files.write(leftover.resolve(CheckpointStore.PARAMETERS_FILE), new byte[] {1, 2, 3});
    Path latestLeftover = root.resolve(".LATEST.a1b2c3d4e5f6.tmp");
    Files.writeString(latestLeftover, "step-0000");

    assertThat(store.loadLatest()).contains(checkpoint(10));
    assertThat(store.list()).extracting(CheckpointStore.Entry::step).containsExactly(10L);

    store.save(checkpoint(20));

    assertThat(names()).containsExactly("LATEST", "step-000000010", "step-000000020");
  }

  // ---------------------------------------------------------------------------------------------
  // Steps that collide or go back

  @Test
  void refusesToOverwriteACompleteCheckpointOfTheSameStep() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 3);
    store.save(checkpoint(10));

    assertThatThrownBy(() -> store.save(checkpoint(10))).isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("step-000000010");
    assertThat(store.load(10)).isEqualTo(checkpoint(10));
  }

  @Test
  void setsAsideAnIncompleteCheckpointOfTheSameStep() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 3);
    store.save(checkpoint(10));
    Path half = copyAs(10, 20);
    Files.delete(half.resolve(CheckpointStore.STATE_FILE));

    store.save(checkpoint(20));

    assertThat(store.load(20)).isEqualTo(checkpoint(20));
    assertThat(names()).containsExactly("LATEST", "step-000000010", "step-000000020", "step-000000020.corrupt");
    assertThat(root.resolve("step-000000020.corrupt").resolve(CheckpointStore.PARAMETERS_FILE))
        .hasSameBinaryContentAs(root.resolve("step-000000010").resolve(CheckpointStore.PARAMETERS_FILE));
    assertThat(warnings()).singleElement().asString()
        .contains("Set aside", half.toString(), "step-000000020.corrupt", "state.json", "missing");
  }

  /** Flips the last byte of a file, keeping its size. */
  private static void flipLastByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
  }

  @Test
  void setsAsideACheckpointOfTheSameStepThatPassesTheQuickCheckButNotTheChecksum() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 3);
    store.save(checkpoint(10));
    Path corrupt = store.save(checkpoint(20));
    flipLastByte(corrupt.resolve(CheckpointStore.PARAMETERS_FILE));
    byte[] corruptBytes = Files.readAllBytes(corrupt.resolve(CheckpointStore.PARAMETERS_FILE));
    assertThat(store.loadLatest()).contains(checkpoint(10));
    log.clear();

    store.save(checkpoint(20));

    assertThat(store.loadLatest()).contains(checkpoint(20));
    assertThat(latest()).isEqualTo("step-000000020\n");
    assertThat(root.resolve("step-000000020.corrupt").resolve(CheckpointStore.PARAMETERS_FILE))
        .hasBinaryContent(corruptBytes);
    assertThat(warnings()).singleElement().asString()
        .contains("Set aside", corrupt.toString(), "parameters.safetensors", "CRC-32C");
    store.save(checkpoint(30));
    assertThat(store.loadLatest()).contains(checkpoint(30));
  }

  @Test
  void setAsideNamesNeverCollide() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 3);
    Path dir = root.resolve("step-000000020");
    for (int i = 0; i < 3; i++) {
      store.save(checkpoint(20));
      flipLastByte(dir.resolve(CheckpointStore.OPTIMIZER_FILE));
    }
    store.save(checkpoint(20));

    assertThat(names()).containsExactly("LATEST", "step-000000020", "step-000000020.corrupt",
        "step-000000020.corrupt-2", "step-000000020.corrupt-3");
    assertThat(store.list()).extracting(CheckpointStore.Entry::step).containsExactly(20L);
  }

  @Test
  void setAsideDirectoriesAreNeitherCountedNorPrunedNorSwept() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 1);
    Path first = store.save(checkpoint(10));
    flipLastByte(first.resolve(CheckpointStore.PARAMETERS_FILE));
    store.save(checkpoint(10));
    for (long step : new long[] {20, 30}) {
      store.save(checkpoint(step));
    }
    store.deleteNewerThan(25);
    store.save(checkpoint(40));

    assertThat(names()).containsExactly("LATEST", "step-000000010.corrupt", "step-000000040");
    assertThat(store.list()).extracting(CheckpointStore.Entry::step).containsExactly(40L);
  }

  @Test
  void aCorruptNewerCheckpointIsSetAsideRatherThanBlockingAnEarlierStep() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 3);
    store.save(checkpoint(10));
    Path corrupt = store.save(checkpoint(20));
    flipLastByte(corrupt.resolve(CheckpointStore.OPTIMIZER_FILE));
    assertThat(store.loadLatest()).contains(checkpoint(10));

    store.save(checkpoint(15));

    assertThat(names()).containsExactly("LATEST", "step-000000010", "step-000000015", "step-000000020.corrupt");
    assertThat(store.loadLatest()).contains(checkpoint(15));
  }

  @Test
  void goingBackRequiresDeletingNewerCheckpoints() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 5);
    store.save(checkpoint(10));
    store.save(checkpoint(20));
    store.save(checkpoint(30));

    assertThatThrownBy(() -> store.save(checkpoint(15))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("step 30").hasMessageContaining("deleteNewerThan(15)");

    store.deleteNewerThan(15);
    assertThat(latest()).isEqualTo("step-000000010\n");
    store.save(checkpoint(15));

    assertThat(store.list()).extracting(CheckpointStore.Entry::step).containsExactly(10L, 15L);
    assertThat(store.loadLatest()).contains(checkpoint(15));
    assertThat(latest()).isEqualTo("step-000000015\n");
  }

  @Test
  void directoryNamesSortAsNumbersAndOnlyCanonicalNamesCount() throws IOException {
    CheckpointStore store = new CheckpointStore(root, 5);
    store.save(checkpoint(999_999_999));
    store.save(checkpoint(1_000_000_000));
    Files.createDirectory(root.resolve("step-1"));
    Files.createDirectory(root.resolve("step-0000000001"));

    assertThat(store.list()).extracting(CheckpointStore.Entry::step).containsExactly(999_999_999L, 1_000_000_000L);
    assertThat(CheckpointStore.directoryName(1_000_000_000)).isEqualTo("step-1000000000");
    assertThat(store.loadLatest()).contains(checkpoint(1_000_000_000));
  }
}
