package dev.vae.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Saves checkpoints into a directory and loads the newest complete one back.
 *
 * <p>On disk, under the store's root:
 *
 * <pre>
 * root/
 *   LATEST                     name of the newest checkpoint, e.g. "step-000001200\n"
 *   step-000001000/
 *     parameters.safetensors   the parameters, loadable in Python as they are
 *     optimizer.safetensors    the optimizer's slots
 *     state.json               step, epoch, random streams, configuration, extras, and the size and
 *                              CRC-32C of each safetensors file
 *   step-000001200/
 *     ...
 *   step-000001100.corrupt/    a checkpoint that failed verification, set aside by a save
 *   step-000001100.corrupt-2/  the next one set aside under the same step
 * </pre>
 *
 * <p>Saving is atomic as a whole: the files are written and forced to the device inside a
 * temporary directory ({@code .step-000001200.<random>.tmp}), which is then renamed to its final
 * name in one step; only then is {@code LATEST} replaced (atomically) and are checkpoints beyond the
 * newest {@link #keep()} complete ones deleted. A crash at any moment leaves every earlier
 * checkpoint intact; leftovers of an interrupted save are swept by the next save.
 *
 * <p>Loading trusts the directories, not {@code LATEST} (which may lag by one checkpoint after a
 * crash, and is there for people and tools): it takes the checkpoint with the highest step that
 * verifies (every file present, sizes and checksums as recorded, every file well-formed), and skips
 * any that does not, with a logged warning. Loading changes nothing on disk.
 *
 * <p>A checkpoint directory that fails verification is never deleted by a save and never loaded:
 * when a save meets one of its own or a higher step (the newest checkpoint was corrupt, so the run
 * went back to an earlier one and saves that step again), it renames the directory to {@code
 * step-N.corrupt} ({@code step-N.corrupt-2}, ... if that is taken), logs a warning naming the
 * directory, the file and what is wrong, and goes on. Listing, loading, pruning and sweeping never
 * touch set-aside directories; they stay until someone has looked at them and deletes them.
 *
 * <p>A checkpoint whose {@code state.json} records a newer format {@code version} than {@link
 * #VERSION} is neither skipped nor set aside: the run belongs to a newer vae, and going on from an
 * older checkpoint would silently lose its work. While one is under the root, {@link #loadLatest},
 * {@link #save} and {@link #deleteNewerThan} throw {@link NewerFormatException} (naming the file and
 * both versions) before changing anything, and nothing deletes it; {@link #list} still lists it,
 * with the refusal as its problem.
 *
 * <p>One process at a time may save into a root (this object serialises its own saves); any number
 * may load.
 */
public final class CheckpointStore {
  /** The parameters' file in a checkpoint directory. */
  public static final String PARAMETERS_FILE = "parameters.safetensors";
  /** The optimizer state's file in a checkpoint directory. */
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";
  /** The JSON file with everything else, written last. */
  public static final String STATE_FILE = "state.json";
  /** The file naming the newest checkpoint directory. */
  public static final String LATEST_FILE = "LATEST";
  /** The value of {@code "format"} in {@code state.json}. */
  public static final String FORMAT = "dev.vae.checkpoint";
  /** The version of the layout this class writes and reads. */
  public static final int VERSION = 1;

  private static final System.Logger LOG = System.getLogger(CheckpointStore.class.getName());
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{9,19})");
  private static final long MAX_STATE_BYTES = 64L << 20;
  private static final long MAX_LATEST_BYTES = 1024;
  private static final String SET_ASIDE_SUFFIX = ".corrupt";
  private static final List<String> TENSOR_FILES = List.of(PARAMETERS_FILE, OPTIMIZER_FILE);

  /** Points in a save at which tests inject failures. */
  enum Phase { PARAMETERS_WRITTEN, OPTIMIZER_WRITTEN, STATE_WRITTEN, COMMITTED, LATEST_WRITTEN }

  /** Called as a save passes each {@link Phase}; throwing there simulates a failure. */
  @FunctionalInterface
  interface FaultPoint {
    void reached(Phase phase) throws IOException;
  }

  private final Path root;
  private final int keep;
  private final FaultPoint faults;

  /**
   * A store in {@code root} (created on the first save) that keeps the newest {@code keep}
   * complete checkpoints.
   */
  public CheckpointStore(Path root, int keep) {
    this(root, keep, phase -> { });
  }

  CheckpointStore(Path root, int keep, FaultPoint faults) {
    if (keep < 1) {
      throw new IllegalArgumentException("a checkpoint store must keep at least 1 checkpoint, got " + keep);
    }
    this.root = root.toAbsolutePath();
    this.keep = keep;
    this.faults = faults;
  }

  /** The directory holding the checkpoints. */
  public Path root() {
    return root;
  }

  /** How many complete checkpoints are kept. */
  public int keep() {
    return keep;
  }

  /** The directory name of a step's checkpoint: {@code step-} and at least nine digits. */
  public static String directoryName(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be non-negative, got " + step);
    }
    return String.format("step-%09d", step);
  }

  /**
   * A checkpoint directory found under the root.
   *
   * @param step the step its name gives
   * @param directory where it is
   * @param problem why it is incomplete or of a newer format, empty when the quick check (files
   *     present, sizes as recorded) passed; checksums are verified only when loading
   */
  public record Entry(long step, Path directory, Optional<String> problem) {
    /** Whether the quick check passed. */
    public boolean complete() {
      return problem.isEmpty();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Saving

  /**
   * Saves {@code checkpoint} as the directory of its step, then points {@code LATEST} at it and
   * deletes checkpoints beyond the newest {@link #keep()}.
   *
   * <p>Every checkpoint directory of the same or a higher step is first verified in full (as
   * {@link #read} does). Fails with {@link FileAlreadyExistsException} if one of the same step
   * verifies, and with {@link IllegalStateException} if one of a higher step verifies (see {@link
   * #deleteNewerThan}); nothing is changed then. Those that fail verification are never loaded, so
   * they are set aside (renamed to {@code step-N.corrupt}, see the class comment) with a logged
   * warning, and the save goes on. If this throws before the new directory is in place, no
   * checkpoint that loads changed; if it throws after (while updating {@code LATEST} or deleting
   * old checkpoints), the new checkpoint is saved and is the one loaded.
   *
   * @return the checkpoint's directory
   * @throws NewerFormatException if a checkpoint under the root is of a newer format; nothing is
   *     changed then
   */
  public synchronized Path save(Checkpoint checkpoint) throws IOException {
    Files.createDirectories(root);
    Map<Path, CorruptFileException> failing = verifyFrom(checkpoint.step());
    sweepTemporaries();
    for (Map.Entry<Path, CorruptFileException> f : failing.entrySet()) {
      setAside(f.getKey(), f.getValue());
    }
    String name = directoryName(checkpoint.step());
    Path target = root.resolve(name);
    Path temp = AtomicFiles.temporaryName(root, name);
    Files.createDirectory(temp);
    boolean committed = false;
    try {
      Map<String, Object> files = new LinkedHashMap<>();
      Map<String, String> metadata = Map.of("producer", "dev.vae", "step", Long.toString(checkpoint.step()));
      files.put(PARAMETERS_FILE, writeTensors(temp.resolve(PARAMETERS_FILE), checkpoint.parameters(), metadata));
      faults.reached(Phase.PARAMETERS_WRITTEN);
      files.put(OPTIMIZER_FILE, writeTensors(temp.resolve(OPTIMIZER_FILE), checkpoint.optimizerState(), metadata));
      faults.reached(Phase.OPTIMIZER_WRITTEN);
      AtomicFiles.writeString(temp.resolve(STATE_FILE), stateJson(checkpoint, files));
      faults.reached(Phase.STATE_WRITTEN);
      AtomicFiles.fsyncDirectory(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      committed = true;
    } finally {
      if (!committed) {
        AtomicFiles.deleteQuietly(temp);
      }
    }
    AtomicFiles.fsyncDirectory(root);
    faults.reached(Phase.COMMITTED);
    AtomicFiles.writeString(root.resolve(LATEST_FILE), name + "\n");
    faults.reached(Phase.LATEST_WRITTEN);
    prune();
    return target;
  }

  /**
   * Verifies in full every checkpoint of {@code step} or a higher one, and returns those that fail
   * with the reason; throws if one verifies, as {@link #save} describes.
   */
  private Map<Path, CorruptFileException> verifyFrom(long step) throws IOException {
    Map<Path, CorruptFileException> failing = new LinkedHashMap<>();
    List<Entry> newestFirst = new ArrayList<>(listReadable());
    Collections.reverse(newestFirst);
    for (Entry e : newestFirst) {
      if (e.step() < step) {
        continue;
      }
      try {
        read(e.directory());
      } catch (CorruptFileException ex) {
        failing.put(e.directory(), ex);
        continue;
      }
      if (e.step() == step) {
        throw new FileAlreadyExistsException(e.directory().toString(), null,
            "a complete checkpoint of step " + step + " already exists");
      }
      throw new IllegalStateException(root + " already holds a checkpoint of step " + e.step()
          + ", newer than step " + step + ", which would therefore never be loaded; "
          + "to go on from an earlier checkpoint, first call deleteNewerThan(" + step + ")");
    }
    return failing;
  }

  /**
   * Renames a checkpoint directory that failed verification to {@code <name>.corrupt} (or {@code
   * <name>.corrupt-2}, ... if taken), a name nothing in this class lists, prunes or deletes.
   */
  private void setAside(Path dir, CorruptFileException why) throws IOException {
    String base = dir.getFileName() + SET_ASIDE_SUFFIX;
    Path aside = root.resolve(base);
    for (int n = 2; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
      aside = root.resolve(base + "-" + n);
    }
    Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(root);
    LOG.log(Level.WARNING, "Set aside checkpoint " + dir + " as " + aside.getFileName() + ", which is kept but "
        + "never loaded or deleted: " + why.getMessage());
  }

  /**
   * Deletes every checkpoint of a step greater than {@code step} (complete or not), for resuming
   * from an earlier checkpoint, and points {@code LATEST} at the newest complete one left (or
   * deletes it if none is left). Set-aside directories are left alone.
   *
   * @throws NewerFormatException if a checkpoint under the root is of a newer format; nothing is
   *     deleted then
   */
  public synchronized void deleteNewerThan(long step) throws IOException {
    Optional<Entry> newestLeft = Optional.empty();
    for (Entry e : listReadable()) {
      if (e.step() > step) {
        discard(e.directory());
      } else if (e.complete()) {
        newestLeft = Optional.of(e);
      }
    }
    if (newestLeft.isPresent()) {
      AtomicFiles.writeString(root.resolve(LATEST_FILE), newestLeft.get().directory().getFileName() + "\n");
    } else {
      Files.deleteIfExists(root.resolve(LATEST_FILE));
    }
  }

  /** Writes one safetensors file and returns its manifest entry (bytes and CRC-32C). */
  private static Map<String, Object> writeTensors(Path file, Map<String, HostTensor> tensors,
      Map<String, String> metadata) throws IOException {
    CRC32C crc = new CRC32C();
    AtomicFiles.write(file, out -> {
      OutputStream checked = new CheckedOutputStream(out, crc);
      SafeTensors.write(checked, tensors, metadata);
      checked.flush();
    });
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("bytes", Files.size(file));
    entry.put("crc32c", hex(crc.getValue()));
    return entry;
  }

  private static String stateJson(Checkpoint c, Map<String, Object> files) {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("format", FORMAT);
    state.put("version", VERSION);
    state.put("step", c.step());
    state.put("epoch", c.epoch());
    Map<String, Object> rng = new LinkedHashMap<>();
    c.rngStates().forEach((k, v) -> {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("seed", v.seed());
      s.put("offset", v.offset());
      rng.put(k, s);
    });
    state.put("rng", rng);
    state.put("config", c.config());
    state.put("extras", c.extras());
    state.put("files", files);
    return Json.toJson(state, 2) + "\n";
  }

  /** Deletes every checkpoint older than the newest {@link #keep()} complete ones. */
  private void prune() throws IOException {
    List<Entry> entries = listReadable();
    List<Entry> complete = entries.stream().filter(Entry::complete).toList();
    if (complete.size() <= keep) {
      return;
    }
    long oldestKept = complete.get(complete.size() - keep).step();
    for (Entry e : entries) {
      if (e.step() < oldestKept) {
        LOG.log(Level.DEBUG, "Deleting old checkpoint " + e.directory());
        discard(e.directory());
      }
    }
  }

  /**
   * Removes a directory by first renaming it to a temporary name, so that a crash midway leaves
   * a leftover the next save sweeps, never a half-deleted checkpoint.
   */
  private void discard(Path dir) throws IOException {
    Path temp = AtomicFiles.temporaryName(root, dir.getFileName().toString());
    Files.move(dir, temp, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.deleteRecursively(temp);
  }

  private void sweepTemporaries() throws IOException {
    try (Stream<Path> children = Files.list(root)) {
      for (Path p : (Iterable<Path>) children::iterator) {
        if (AtomicFiles.isTemporary(p)) {
          LOG.log(Level.INFO, "Removing " + p + ", left by an interrupted save");
          AtomicFiles.deleteRecursively(p);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Listing and loading

  /**
   * Every {@code step-N} directory under the root, oldest first, each with its quick check; one of
   * a newer format is listed with the {@link NewerFormatException}'s message as its problem.
   */
  public List<Entry> list() throws IOException {
    return scan().stream().map(Listed::entry).toList();
  }

  /** A listed directory, and the refusal to read it when it is of a newer format. */
  private record Listed(Entry entry, Optional<NewerFormatException> newer) {
  }

  private List<Listed> scan() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Listed> listed = new ArrayList<>();
    try (Stream<Path> children = Files.list(root)) {
      for (Path p : (Iterable<Path>) children::iterator) {
        OptionalLong step = stepOf(p);
        if (step.isPresent() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          try {
            listed.add(new Listed(new Entry(step.getAsLong(), p, quickCheck(p)), Optional.empty()));
          } catch (NewerFormatException e) {
            listed.add(new Listed(new Entry(step.getAsLong(), p, Optional.of(e.getMessage())), Optional.of(e)));
          }
        }
      }
    }
    listed.sort(Comparator.comparingLong(l -> l.entry().step()));
    return listed;
  }

  /**
   * Every {@code step-N} directory, oldest first, as {@link #list}; but if any is of a newer
   * format, throws the newest one's {@link NewerFormatException}: the run belongs to a newer vae.
   */
  private List<Entry> listReadable() throws IOException {
    List<Listed> listed = scan();
    for (int i = listed.size() - 1; i >= 0; i--) {
      Optional<NewerFormatException> newer = listed.get(i).newer();
      if (newer.isPresent()) {
        throw newer.get();
      }
    }
    return listed.stream().map(Listed::entry).toList();
  }

  /** The step a directory's name gives, if it is exactly {@link #directoryName} of a step. */
  private static OptionalLong stepOf(Path dir) {
    Path fileName = dir.getFileName();
    return stepOf(fileName == null ? "" : fileName.toString());
  }

  private static OptionalLong stepOf(String name) {
    Matcher m = STEP_DIR.matcher(name);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    try {
      long step = Long.parseLong(m.group(1));
      return directoryName(step).equals(name) ? OptionalLong.of(step) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The complete checkpoint with the highest step, verified in full; empty if there is none.
   * Incomplete or corrupt checkpoints are skipped with a logged warning. Failures to read that are
   * not about the content (permissions, I/O errors) are thrown, not skipped. Changes nothing on disk.
   *
   * @throws NewerFormatException if a checkpoint under the root is of a newer format, rather than
   *     going on from an older one
   */
  public Optional<Checkpoint> loadLatest() throws IOException {
    List<Entry> entries = new ArrayList<>(listReadable());
    Collections.reverse(entries);
    for (Entry e : entries) {
      if (!e.complete()) {
        LOG.log(Level.WARNING, "Skipping incomplete checkpoint " + e.directory() + ": " + e.problem().get());
        continue;
      }
      try {
        Checkpoint c = read(e.directory());
        noteStaleLatest(e.directory());
        return Optional.of(c);
      } catch (CorruptFileException ex) {
        LOG.log(Level.WARNING, "Skipping corrupt checkpoint " + e.directory() + ": " + ex.getMessage());
      }
    }
    if (!entries.isEmpty()) {
      LOG.log(Level.WARNING, "No complete checkpoint in " + root + " among " + entries.size() + " found");
    }
    return Optional.empty();
  }

  /** The checkpoint of {@code step}, verified in full, as {@link #read} does. */
  public Checkpoint load(long step) throws IOException {
    Path dir = root.resolve(directoryName(step));
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no checkpoint of step " + step);
    }
    return read(dir);
  }

  /**
   * Logs how {@code LATEST} differs from the checkpoint loaded: at level info where a crash or a
   * skipped checkpoint explains it, as a warning where it holds something no save writes.
   */
  private void noteStaleLatest(Path loaded) {
    Path latest = root.resolve(LATEST_FILE);
    String loadedName = loaded.getFileName().toString();
    String named;
    try {
      if (Files.size(latest) > MAX_LATEST_BYTES) {
        LOG.log(Level.WARNING, latest + " is " + Files.size(latest) + " bytes long, too long to name a checkpoint "
            + "directory; loaded " + loadedName);
        return;
      }
      named = new String(Files.readAllBytes(latest), StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      LOG.log(Level.INFO, latest + " is missing; loaded " + loadedName);
      return;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not read " + latest + " (" + e + "); loaded " + loadedName);
      return;
    }
    OptionalLong step = stepOf(named);
    if (step.isEmpty()) {
      LOG.log(Level.WARNING, latest + " does not name a checkpoint directory: it holds " + Json.printable(named)
          + "; loaded " + loadedName);
    } else if (!Files.isDirectory(root.resolve(named), LinkOption.NOFOLLOW_LINKS)) {
      LOG.log(Level.WARNING, latest + " names " + named + ", which does not exist; loaded " + loadedName);
    } else if (step.getAsLong() < stepOf(loadedName).orElseThrow()) {
      LOG.log(Level.INFO, latest + " names " + named + "; loaded the newer complete " + loadedName);
    } else if (!named.equals(loadedName)) {
      LOG.log(Level.INFO, latest + " names " + named + ", which was skipped; loaded " + loadedName);
    }
  }

  /**
   * Reads and verifies one checkpoint directory: {@code state.json} well-formed and of this format,
   * each safetensors file present with the recorded size and CRC-32C, and well-formed.
   *
   * @throws CorruptFileException naming the file at fault and what is wrong with it
   * @throws NewerFormatException if {@code state.json} records a newer format version
   */
  public static Checkpoint read(Path dir) throws IOException {
    State state = readState(dir);
    for (String name : TENSOR_FILES) {
      checkFile(dir.resolve(name), state.files().get(name), true);
    }
    Map<String, HostTensor> parameters = SafeTensors.read(dir.resolve(PARAMETERS_FILE)).tensors();
    Map<String, HostTensor> optimizer = SafeTensors.read(dir.resolve(OPTIMIZER_FILE)).tensors();
    return new Checkpoint(state.step(), state.epoch(), parameters, optimizer, state.rng(), state.config(),
        state.extras());
  }

  /** Files present and sizes as recorded; empty when so, else the problem with the file named. */
  private static Optional<String> quickCheck(Path dir) throws IOException {
    try {
      State state = readState(dir);
      for (String name : TENSOR_FILES) {
        checkFile(dir.resolve(name), state.files().get(name), false);
      }
      return Optional.empty();
    } catch (CorruptFileException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** What {@code state.json} holds. */
  private record State(long step, long epoch, Map<String, RngState> rng, Map<String, String> config,
      Map<String, String> extras, Map<String, FileRecord> files) {
  }

  /** A tensor file's size and checksum as recorded in {@code state.json}. */
  private record FileRecord(long bytes, String crc32c) {
  }

  private static void checkFile(Path file, FileRecord expected, boolean checksum) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CorruptFileException(file, "missing (the checkpoint is incomplete)");
    }
    long size = Files.size(file);
    if (size != expected.bytes()) {
      throw new CorruptFileException(file, "is " + size + " bytes long but " + STATE_FILE + " records "
          + expected.bytes());
    }
    if (checksum) {
      String actual = crc32c(file);
      if (!actual.equals(expected.crc32c())) {
        throw new CorruptFileException(file, "CRC-32C is " + actual + " but " + STATE_FILE + " records "
            + expected.crc32c() + " (the content changed after it was saved)");
      }
    }
  }

  private static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
      }
    }
    return hex(crc.getValue());
  }

  private static String hex(long crc) {
    return HexFormat.of().toHexDigits((int) crc);
  }

  private static State readState(Path dir) throws IOException {
    Path file = dir.resolve(STATE_FILE);
    if (!Files.isRegularFile(file)) {
      throw new CorruptFileException(file, "missing (the checkpoint is incomplete)");
    }
    long size = Files.size(file);
    if (size > MAX_STATE_BYTES) {
      throw new CorruptFileException(file, "is " + size + " bytes long, more than the " + MAX_STATE_BYTES
          + " a checkpoint state may be");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptFileException(file, "is not valid UTF-8", e);
    }
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (Json.ParseException e) {
      throw new CorruptFileException(file, "is not well-formed JSON: " + e.getMessage(), e);
    }
    Fields root = new Fields(file, "", parsed);
    String format = root.string("format");
    if (!format.equals(FORMAT)) {
      throw new CorruptFileException(file, "format is " + Json.printable(format) + ", expected " + FORMAT);
    }
    long version = root.integer("version");
    if (version > VERSION) {
      throw new NewerFormatException(file, version, VERSION);
    }
    if (version != VERSION) {
      throw new CorruptFileException(file, "has version " + version + "; this program reads version " + VERSION);
    }
    long step = root.nonNegative("step");
    OptionalLong named = stepOf(dir);
    if (named.isPresent() && named.getAsLong() != step) {
      throw new CorruptFileException(file, "records step " + step + " but its directory is " + dir.getFileName());
    }
    long epoch = root.nonNegative("epoch");
    Map<String, RngState> rng = new LinkedHashMap<>();
    Fields rngFields = root.object("rng");
    for (String name : rngFields.keys()) {
      Fields s = rngFields.object(name);
      rng.put(name, new RngState(s.integer("seed"), s.nonNegative("offset")));
    }
    Map<String, String> config = root.object("config").strings();
    Map<String, String> extras = root.object("extras").strings();
    Fields filesFields = root.object("files");
    Map<String, FileRecord> files = new LinkedHashMap<>();
    for (String name : TENSOR_FILES) {
      Fields f = filesFields.object(name);
      String crc = f.string("crc32c");
      if (!crc.matches("[0-9a-f]{8}")) {
        throw new CorruptFileException(file, f.where("crc32c") + " is not 8 lowercase hex digits");
      }
      files.put(name, new FileRecord(f.nonNegative("bytes"), crc));
    }
    return new State(step, epoch, rng, config, extras, files);
  }

  /** Typed access to a parsed JSON object, with errors naming the file and the field's path. */
  private record Fields(Path file, String path, Map<?, ?> map) {
    Fields(Path file, String path, Object value) throws CorruptFileException {
      this(file, path, asMap(file, path, value));
    }

    private static Map<?, ?> asMap(Path file, String path, Object value) throws CorruptFileException {
      if (value instanceof Map<?, ?> m) {
        return m;
      }
      throw new CorruptFileException(file, (path.isEmpty() ? "content" : "field " + path) + " is not a JSON object");
    }

    String where(String key) {
      return "field " + (path.isEmpty() ? key : path + "." + key);
    }

    List<String> keys() {
      return map.keySet().stream().map(k -> (String) k).toList();
    }

    Object get(String key) throws CorruptFileException {
      Object v = map.get(key);
      if (v == null) {
        throw new CorruptFileException(file, where(key) + " is missing");
      }
      return v;
    }

    String string(String key) throws CorruptFileException {
      if (get(key) instanceof String s) {
        return s;
      }
      throw new CorruptFileException(file, where(key) + " is not a string");
    }

    long integer(String key) throws CorruptFileException {
      if (get(key) instanceof Long l) {
        return l;
      }
      throw new CorruptFileException(file, where(key) + " is not an integer in the range of a 64-bit long");
    }

    long nonNegative(String key) throws CorruptFileException {
      long v = integer(key);
      if (v < 0) {
        throw new CorruptFileException(file, where(key) + " is negative: " + v);
      }
      return v;
    }

    Fields object(String key) throws CorruptFileException {
      return new Fields(file, path.isEmpty() ? key : path + "." + key, get(key));
    }

    Map<String, String> strings() throws CorruptFileException {
      Map<String, String> out = new LinkedHashMap<>();
      for (String k : keys()) {
        out.put(k, string(k));
      }
      return out;
    }
  }
}
