package dev.vae.core.io;

import dev.vae.core.io.HostTensor.ElementType;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the <a href="https://huggingface.co/docs/safetensors">safetensors</a> format, so
 * that weights saved here load in Python ({@code safetensors.numpy.load_file}, {@code
 * safetensors.torch.load_file}) and the other way round.
 *
 * <p>The layout: 8 bytes holding the header length N as an unsigned little-endian integer; N bytes of
 * UTF-8 JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * (offsets relative to the data buffer that follows the header), plus an optional {@code
 * "__metadata__"} object of string values; then the data buffer, each tensor's elements
 * little-endian in row-major order. The writer pads the header with spaces so the data buffer
 * starts at a multiple of 8 bytes and lays tensors out as the reference implementation does (I64,
 * then F64, then F32 tensors, each group by name), so every tensor is aligned to its element size
 * and the same tensors give the same bytes as Python's {@code save_file} without metadata.
 *
 * <p>The reader accepts F32, F64 and I64 tensors and checks everything the format promises: a
 * header length that fits the file, well-formed UTF-8 JSON, known dtypes, non-negative shapes,
 * offsets inside the data buffer, tensors that tile the buffer exactly (no overlap, no gap, nothing
 * left over), and byte sizes equal to the number of elements times the element size. Every
 * violation is a {@link CorruptFileException} naming the file and, where there is one, the tensor.
 */
public final class SafeTensors {
  /** The key of the optional string-to-string metadata map in the header. */
  public static final String METADATA_KEY = "__metadata__";

  /** Longest header accepted when reading, as in the reference implementation (100 MB). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final int CHUNK_BYTES = 1 << 16;

  /** Dtype codes of the format that this reader recognises but does not load. */
  private static final Set<String> OTHER_DTYPES = Set.of("BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32",
      "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64");

  private SafeTensors() {
  }

  /** What a safetensors file holds: tensors by name (sorted) and the header's metadata. */
  public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    /** Copies both maps into unmodifiable sorted maps. */
    public Contents {
      tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
      metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }
  }

  /**
   * Writes tensors and metadata to {@code file} atomically (see {@link AtomicFiles}): readers see
   * the previous file or the complete new one, never a part.
   */
  public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata)
      throws IOException {
    byte[] header = header(tensors, metadata);
    AtomicFiles.write(file, out -> writeBody(out, header, tensors));
  }

  /**
   * Writes the whole file to {@code out} and leaves the stream open. Tensor names must be non-empty,
   * must not be {@value #METADATA_KEY}, and, like metadata keys and values, must be valid Unicode.
   */
  public static void write(OutputStream out, Map<String, HostTensor> tensors, Map<String, String> metadata)
      throws IOException {
    writeBody(out, header(tensors, metadata), tensors);
  }

  /** The whole file as bytes, for small tensors and tests. */
  public static byte[] toBytes(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      write(bytes, tensors, metadata);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * The tensors in file order, the reference implementation's: by dtype in the reverse of its
   * declaration order (I64, F64, F32: larger elements first, so each tensor is aligned), then by
   * name in code point order (the order of the names' UTF-8 bytes).
   */
  private static List<Map.Entry<String, HostTensor>> layout(Map<String, HostTensor> tensors) {
    List<Map.Entry<String, HostTensor>> entries = new ArrayList<>(tensors.entrySet());
    entries.sort(Comparator.<Map.Entry<String, HostTensor>>comparingInt(e -> layoutRank(e.getValue().type()))
        .thenComparing(Map.Entry::getKey, SafeTensors::compareCodePoints));
    return entries;
  }

  private static int layoutRank(ElementType type) {
    return switch (type) {
      case I64 -> 0;
      case F64 -> 1;
      case F32 -> 2;
    };
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** The length prefix and the padded JSON header. */
  private static byte[] header(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(metadata, "metadata");
    StringBuilder json = new StringBuilder("{");
    boolean first = true;
    if (!metadata.isEmpty()) {
      json.append('"').append(METADATA_KEY).append("\":{");
      boolean firstMeta = true;
      for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
        if (!firstMeta) {
          json.append(',');
        }
        firstMeta = false;
        Json.writeString(json, e.getKey());
        json.append(':');
        Json.writeString(json, Objects.requireNonNull(e.getValue(), () -> "metadata value of " + e.getKey()));
      }
      json.append('}');
      first = false;
    }
    long offset = 0;
    for (Map.Entry<String, HostTensor> e : layout(tensors)) {
      String name = e.getKey();
      HostTensor t = Objects.requireNonNull(e.getValue(), () -> "tensor " + name);
      if (name.isEmpty() || name.equals(METADATA_KEY)) {
        throw new IllegalArgumentException("tensor name " + Json.printable(name) + " is reserved or empty");
      }
      if (!first) {
        json.append(',');
      }
      first = false;
      Json.writeString(json, name);
      json.append(":{\"dtype\":\"").append(t.type().name()).append("\",\"shape\":[");
      int[] shape = t.shape();
      for (int i = 0; i < shape.length; i++) {
        json.append(i > 0 ? "," : "").append(shape[i]);
      }
      long end = offset + t.byteSize();
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    json.append('}');
    byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (utf8.length + 7) / 8 * 8;
    ByteBuffer buf = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(padded).put(utf8);
    while (buf.hasRemaining()) {
      buf.put((byte) ' ');
    }
    return buf.array();
  }

  private static void writeBody(OutputStream out, byte[] header, Map<String, HostTensor> tensors)
      throws IOException {
    out.write(header);
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (Map.Entry<String, HostTensor> e : layout(tensors)) {
      HostTensor t = e.getValue();
      int n = t.size();
      int perChunk = CHUNK_BYTES / t.type().bytes();
      for (int from = 0; from < n; from += perChunk) {
        int len = Math.min(perChunk, n - from);
        buf.clear();
        switch (t.type()) {
          case F32 -> buf.asFloatBuffer().put((float[]) t.data(), from, len);
          case F64 -> buf.asDoubleBuffer().put((double[]) t.data(), from, len);
          case I64 -> buf.asLongBuffer().put((long[]) t.data(), from, len);
        }
        out.write(buf.array(), 0, len * t.type().bytes());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** One header entry after validation. */
  private record Entry(String name, ElementType type, int[] shape, long begin, long end) {
  }

  /** Reads and validates the whole file. */
  public static Contents read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      if (fileSize < 8) {
        throw new CorruptFileException(file, "file is " + fileSize
            + " bytes long, too short for the 8-byte header length of a safetensors file");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lengthBytes, 0, file);
      long headerLength = lengthBytes.flip().getLong();
      String length = Long.toUnsignedString(headerLength);
      if (headerLength < 0 || headerLength > fileSize - 8) {
        throw new CorruptFileException(file, "header length " + length + " exceeds the " + (fileSize - 8)
            + " bytes that follow it (file truncated or not a safetensors file)");
      }
      if (headerLength > MAX_HEADER_BYTES) {
        throw new CorruptFileException(file, "header length " + length + " exceeds the limit of "
            + MAX_HEADER_BYTES + " bytes");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(ch, headerBytes, 8, file);
      long dataStart = 8 + headerLength;
      long dataLength = fileSize - dataStart;
      Map<String, String> metadata = new LinkedHashMap<>();
      List<Entry> entries = parseHeader(file, headerBytes.flip(), dataLength, metadata);
      Map<String, HostTensor> tensors = new LinkedHashMap<>();
      for (Entry e : entries) {
        tensors.put(e.name(), readTensor(ch, dataStart, e, file));
      }
      return new Contents(tensors, metadata);
    }
  }

  private static List<Entry> parseHeader(Path file, ByteBuffer bytes, long dataLength, Map<String, String> metadata)
      throws CorruptFileException {
    if (!bytes.hasRemaining() || bytes.get(0) != '{') {
      throw new CorruptFileException(file, "header does not start with '{'");
    }
    String text;
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
      text = chars.toString();
    } catch (CharacterCodingException e) {
      throw new CorruptFileException(file, "header is not valid UTF-8", e);
    }
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (Json.ParseException e) {
      throw new CorruptFileException(file, "header is not well-formed JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> root)) {
      throw new CorruptFileException(file, "header is not a JSON object");
    }
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> kv : root.entrySet()) {
      String name = (String) kv.getKey();
      if (name.equals(METADATA_KEY)) {
        readMetadata(file, kv.getValue(), metadata);
      } else {
        entries.add(entry(file, name, kv.getValue(), dataLength));
      }
    }
    checkTiling(file, entries, dataLength);
    return entries;
  }

  private static void readMetadata(Path file, Object value, Map<String, String> metadata)
      throws CorruptFileException {
    if (!(value instanceof Map<?, ?> map)) {
      throw new CorruptFileException(file, METADATA_KEY + " is not a JSON object");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw new CorruptFileException(file, METADATA_KEY + " entry " + Json.printable((String) e.getKey())
            + " is not a string");
      }
      metadata.put((String) e.getKey(), s);
    }
  }

  private static Entry entry(Path file, String name, Object value, long dataLength) throws CorruptFileException {
    String tensor = "tensor " + Json.printable(name);
    if (!(value instanceof Map<?, ?> info)) {
      throw new CorruptFileException(file, tensor + ": header entry is not a JSON object");
    }
    Object dtype = info.get("dtype");
    if (!(dtype instanceof String code)) {
      throw new CorruptFileException(file, tensor + ": dtype is missing or not a string");
    }
    ElementType type;
    try {
      type = ElementType.valueOf(code);
    } catch (IllegalArgumentException e) {
      throw new CorruptFileException(file, tensor + ": dtype " + code + (OTHER_DTYPES.contains(code)
          ? " is not supported by this reader (it reads F32, F64 and I64)" : " is not a safetensors dtype"));
    }
    Object shapeValue = info.get("shape");
    if (!(shapeValue instanceof List<?> shapeList)) {
      throw new CorruptFileException(file, tensor + ": shape is missing or not an array");
    }
    int[] shape = new int[shapeList.size()];
    BigInteger count = BigInteger.ONE;
    for (int i = 0; i < shape.length; i++) {
      Object d = shapeList.get(i);
      if (!(d instanceof Long dim) || dim < 0) {
        throw new CorruptFileException(file, tensor + ": shape " + shapeList + " has an axis that is not a"
            + " non-negative integer");
      }
      if (dim > Integer.MAX_VALUE) {
        throw new CorruptFileException(file, tensor + ": shape " + shapeList + " has an axis longer than "
            + Integer.MAX_VALUE + ", too large to load");
      }
      shape[i] = (int) (long) dim;
      count = count.multiply(BigInteger.valueOf(dim));
    }
    Object offsetsValue = info.get("data_offsets");
    if (!(offsetsValue instanceof List<?> offsets) || offsets.size() != 2
        || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)
        || begin < 0 || end < begin) {
      throw new CorruptFileException(file, tensor + ": data_offsets " + offsetsValue
          + " is not a pair [begin, end] of integers with 0 <= begin <= end");
    }
    if (end > dataLength) {
      throw new CorruptFileException(file, tensor + ": data_offsets [" + begin + ", " + end
          + "] reach past the end of the " + dataLength + "-byte data buffer (file truncated?)");
    }
    BigInteger expected = count.multiply(BigInteger.valueOf(type.bytes()));
    if (!expected.equals(BigInteger.valueOf(end - begin))) {
      throw new CorruptFileException(file, tensor + ": data_offsets [" + begin + ", " + end + "] span "
          + (end - begin) + " bytes but shape " + Arrays.toString(shape) + " of " + type + " needs " + expected);
    }
    if (count.compareTo(BigInteger.valueOf(Integer.MAX_VALUE - 8)) > 0) {
      throw new CorruptFileException(file, tensor + ": " + count + " elements are more than one Java array holds");
    }
    return new Entry(name, type, shape, begin, end);
  }

  /** Tensors must cover the data buffer exactly, one after another. */
  private static void checkTiling(Path file, List<Entry> entries, long dataLength) throws CorruptFileException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long covered = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      if (e.begin() < covered) {
        throw new CorruptFileException(file, "tensor " + Json.printable(e.name()) + " at data_offsets ["
            + e.begin() + ", " + e.end() + "] overlaps tensor " + Json.printable(previous.name())
            + " at [" + previous.begin() + ", " + previous.end() + "]");
      }
      if (e.begin() > covered) {
        throw new CorruptFileException(file, "tensor " + Json.printable(e.name()) + " starts at byte " + e.begin()
            + " of the data buffer, leaving bytes " + covered + " to " + e.begin() + " unused");
      }
      covered = e.end();
      previous = e;
    }
    if (covered != dataLength) {
      throw new CorruptFileException(file, "the tensors cover " + covered + " bytes but the data buffer holds "
          + dataLength + " (trailing bytes after the last tensor)");
    }
  }

  private static HostTensor readTensor(FileChannel ch, long dataStart, Entry e, Path file) throws IOException {
    int n = Math.toIntExact((e.end() - e.begin()) / e.type().bytes());
    Object data = switch (e.type()) {
      case F32 -> new float[n];
      case F64 -> new double[n];
      case I64 -> new long[n];
    };
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int perChunk = CHUNK_BYTES / e.type().bytes();
    long position = dataStart + e.begin();
    for (int from = 0; from < n; from += perChunk) {
      int len = Math.min(perChunk, n - from);
      buf.clear().limit(len * e.type().bytes());
      readFully(ch, buf, position, file);
      position += len * (long) e.type().bytes();
      buf.flip();
      switch (e.type()) {
        case F32 -> buf.asFloatBuffer().get((float[]) data, from, len);
        case F64 -> buf.asDoubleBuffer().get((double[]) data, from, len);
        case I64 -> buf.asLongBuffer().get((long[]) data, from, len);
      }
    }
    return HostTensor.wrap(e.type(), e.shape(), data);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
    long p = position;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p);
      if (r < 0) {
        throw new CorruptFileException(file, "file ended at byte " + p + " while reading (was it truncated while"
            + " being read?)", new EOFException());
      }
      p += r;
    }
  }
}
