package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.core.io.HostTensor.ElementType;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir
  Path dir;

  /** The tensors of the Python-written fixtures, from the same formulas as safetensors_interop.py. */
  static Map<String, HostTensor> interopTensors() {
    float[] w = new float[12];
    for (int i = 0; i < w.length; i++) {
      w[i] = i * 0.5f - 1.25f;
    }
    double[] b = new double[4];
    for (int i = 0; i < b.length; i++) {
      b[i] = 1.0 / (i + 1.0);
    }
    Map<String, HostTensor> t = new LinkedHashMap<>();
    t.put("weights", HostTensor.ofFloats(w, 3, 4));
    t.put("bias", HostTensor.ofDoubles(b, 4));
    t.put("counter", HostTensor.ofLongs(new long[] {(1L << 40) + 7}));
    t.put("empty", HostTensor.ofFloats(new float[0], 0, 3));
    t.put("layer.0/\u540d\u524d", HostTensor.ofFloats(new float[] {-0.0f, 3.4028235e38f}, 2));
    return t;
  }

  static final Map<String, String> INTEROP_METADATA = Map.of("note", "h\u00e9llo", "producer", "interop");

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = SafeTensorsTest.class.getResourceAsStream(name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  private Path file(String name, byte[] bytes) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return f;
  }

  /** An 8-byte length, the header as given (not padded), then {@code dataBytes} bytes. */
  private Path handMade(String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json);
    return file("hand.safetensors", b.array());
  }

  // ---------------------------------------------------------------------------------------------
  // Round trips

  @Test
  void roundTripsEveryTypeShapeAndMetadata() throws IOException {
    Map<String, HostTensor> tensors = interopTensors();
    tensors.put("nan", HostTensor.ofDoubles(new double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE}, 3));
    tensors.put("scalar32", HostTensor.ofFloats(new float[] {Float.MIN_VALUE}));
    tensors.put("rank4", HostTensor.ofLongs(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 1, 2, 1, 2));
    Map<String, String> metadata = Map.of("quote\"and\\slash", "line\nbreak\u0001", "\u00fcber", "");
    Path f = dir.resolve("all.safetensors");

    SafeTensors.write(f, tensors, metadata);
    SafeTensors.Contents back = SafeTensors.read(f);

    assertThat(back.tensors()).isEqualTo(tensors);
    assertThat(back.metadata()).isEqualTo(metadata);
    assertThat(back.tensors().get("rank4").shape()).containsExactly(1, 2, 1, 2);
    assertThat(back.tensors().get("scalar32").rank()).isZero();
  }

  @Test
  void roundTripsTensorsLargerThanOneChunk() throws IOException {
    SplittableRandom r = new SplittableRandom(11);
    float[] f = new float[50_001];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) r.nextGaussian();
    }
    double[] d = r.doubles(20_001).toArray();
    Map<String, HostTensor> tensors =
        Map.of("f", HostTensor.ofFloats(f, 7, 7143), "d", HostTensor.ofDoubles(d, 20_001));
    Path p = dir.resolve("big.safetensors");

    SafeTensors.write(p, tensors, Map.of());

    assertThat(Files.size(p)).isEqualTo(8 + headerLength(p) + 4L * f.length + 8L * d.length);
    assertThat(SafeTensors.read(p).tensors()).isEqualTo(tensors);
  }

  @Test
  void roundTripsNoTensorsAtAll() throws IOException {
    Path p = dir.resolve("none.safetensors");
    SafeTensors.write(p, Map.of(), Map.of());
    assertThat(Files.readAllBytes(p)).containsExactly(8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' ');
    assertThat(SafeTensors.read(p).tensors()).isEmpty();
  }

  private static long headerLength(Path p) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Test
  void writerAlignsDataAndLaysOutTensorsAsTheReferenceDoes() throws IOException {
    Map<String, HostTensor> t = new LinkedHashMap<>();
    t.put("a32", HostTensor.ofFloats(new float[] {1}, 1));
    t.put("b64", HostTensor.ofDoubles(new double[] {2}, 1));
    t.put("c64", HostTensor.ofLongs(new long[] {3}, 1));
    byte[] bytes = SafeTensors.toBytes(t, Map.of());
    long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);

    assertThat((8 + n) % 8).isZero();
    assertThat(header.stripTrailing()).isEqualTo("{\"c64\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
        + "\"b64\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]},"
        + "\"a32\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}");
    assertThat(header.length() - header.stripTrailing().length()).isLessThan(8);
  }

  // ---------------------------------------------------------------------------------------------
  // Independent references

  /** A file assembled byte by byte from the format's description, not by the writer. */
  @Test
  void readsAFileBuiltByHandFromTheSpecification() throws IOException {
    String header = "{\"__metadata__\":{\"k\":\"v\"},"
        + "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"y\":{\"shape\":[],\"dtype\":\"F64\",\"data_offsets\":[8,16]}}  ";
    byte[] json = header.getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[8 + json.length + 16];
    bytes[0] = (byte) json.length; // little-endian length, high bytes zero
    System.arraycopy(json, 0, bytes, 8, json.length);
    int d = 8 + json.length;
    // 1.0f = 0x3F800000 and -2.5f = 0xC0200000, least significant byte first
    byte[] data = {0x00, 0x00, (byte) 0x80, 0x3F, 0x00, 0x00, 0x20, (byte) 0xC0,
        // 0.1 = 0x3FB999999999999A
        (byte) 0x9A, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0xB9, 0x3F};
    System.arraycopy(data, 0, bytes, d, 16);

    SafeTensors.Contents c = SafeTensors.read(file("spec.safetensors", bytes));

    assertThat(c.metadata()).containsExactly(Map.entry("k", "v"));
    assertThat(c.tensors().get("x").floats()).containsExactly(1.0f, -2.5f);
    assertThat(c.tensors().get("x").shape()).containsExactly(2);
    assertThat(c.tensors().get("y").doubles()).containsExactly(0.1);
    assertThat(c.tensors().get("y").shape()).isEmpty();
  }

  @Test
  void readsWhatTheReferenceLibraryWrote() throws IOException {
    Path p = file("py.safetensors", resource("written-by-python.safetensors"));

    SafeTensors.Contents c = SafeTensors.read(p);

    assertThat(c.tensors()).isEqualTo(interopTensors());
    assertThat(c.metadata()).isEqualTo(INTEROP_METADATA);
  }

  @Test
  void writesExactlyTheBytesTheReferenceLibraryWrites() throws IOException {
    byte[] reference = resource("written-by-python-no-metadata.safetensors");

    assertThat(SafeTensors.toBytes(interopTensors(), Map.of())).isEqualTo(reference);
  }

  // ---------------------------------------------------------------------------------------------
  // Corrupt files

  private void assertCorrupt(Path f, String... fragments) {
    assertThatThrownBy(() -> SafeTensors.read(f))
        .isInstanceOf(CorruptFileException.class)
        .hasMessageStartingWith(f.toString() + ": ")
        .satisfies(e -> assertThat(((CorruptFileException) e).file()).isEqualTo(f))
        .hasMessageContainingAll(fragments);
  }

  @Test
  void truncatedFileIsRejected() throws IOException {
    byte[] whole = SafeTensors.toBytes(interopTensors(), Map.of());
    Path cut = file("cut.safetensors", Arrays.copyOf(whole, whole.length - 4));

    assertCorrupt(cut, "tensor \"weights\"", "reach past the end", "truncated");
  }

  @Test
  void fileCutInsideTheHeaderIsRejected() throws IOException {
    byte[] whole = SafeTensors.toBytes(interopTensors(), Map.of());
    assertCorrupt(file("cut.safetensors", Arrays.copyOf(whole, 40)), "header length 312 exceeds the 32 bytes");
    assertCorrupt(file("tiny.safetensors", Arrays.copyOf(whole, 5)), "5 bytes long, too short");
  }

  @Test
  void headerLengthBeyondTheFileOrTheLimitIsRejected() throws IOException {
    byte[] bytes = SafeTensors.toBytes(interopTensors(), Map.of());
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
    assertCorrupt(file("huge.safetensors", bytes), "header length 18446744073709551615 exceeds");

    Path limit = file("limit.safetensors", new byte[] {1, (byte) 0xE1, (byte) 0xF5, 0x05, 0, 0, 0, 0, '{'});
    try (RandomAccessFile raf = new RandomAccessFile(limit.toFile(), "rw")) {
      raf.setLength(8 + 100_000_008L); // sparse: the header length 100000001 fits the file
    }
    assertCorrupt(limit, "header length 100000001 exceeds the limit of 100000000 bytes");
  }

  @Test
  void headerLengthPointingInsideTheJsonIsRejected() throws IOException {
    byte[] bytes = SafeTensors.toBytes(interopTensors(), Map.of());
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 100);
    assertCorrupt(file("short.safetensors", bytes), "not well-formed JSON");
  }

  @Test
  void malformedHeadersAreRejected() throws IOException {
    assertCorrupt(handMade("[1, 2]", 0), "does not start with '{'");
    assertCorrupt(handMade("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],}}", 4),
        "not well-formed JSON", "was expecting double-quote to start field name");
    assertCorrupt(handMade("{\"x\":1,\"x\":2}", 0), "Duplicate field 'x'");
    assertCorrupt(handMade("{\"x\":5}", 0), "tensor \"x\"", "not a JSON object");
    assertCorrupt(handMade("{\"__metadata__\":{\"a\":1}}", 0), "__metadata__ entry \"a\" is not a string");

    byte[] bad = {8, 0, 0, 0, 0, 0, 0, 0, '{', '"', (byte) 0xC3, '"', ':', '1', '}', ' '};
    assertCorrupt(file("utf8.safetensors", bad), "not valid UTF-8");
  }

  @Test
  void overlappingTensorsAreRejected() throws IOException {
    Path f = handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
    assertCorrupt(f, "tensor \"b\" at data_offsets [4, 12] overlaps tensor \"a\" at [0, 8]");
  }

  @Test
  void gapsAndTrailingBytesAreRejected() throws IOException {
    assertCorrupt(handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
        "tensor \"a\" starts at byte 4", "leaving bytes 0 to 4 unused");
    assertCorrupt(handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12),
        "cover 4 bytes but the data buffer holds 12");
  }

  @Test
  void byteSizeDisagreeingWithShapeAndDtypeIsRejected() throws IOException {
    Path f = handMade("{\"w\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", 24);
    assertCorrupt(f, "tensor \"w\"", "span 24 bytes but shape [2, 3] of F64 needs 48");
  }

  @Test
  void badFieldsAreRejectedNamingTheTensor() throws IOException {
    assertCorrupt(handMade("{\"t\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2),
        "tensor \"t\"", "dtype BF16 is not supported by this reader");
    assertCorrupt(handMade("{\"t\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2),
        "tensor \"t\"", "dtype Q7 is not a safetensors dtype");
    assertCorrupt(handMade("{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
        "tensor \"t\"", "not a non-negative integer");
    assertCorrupt(handMade("{\"t\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", 4),
        "tensor \"t\"", "not a non-negative integer");
    assertCorrupt(handMade("{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor \"t\"",
        "shape is missing");
    assertCorrupt(handMade("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4),
        "tensor \"t\"", "0 <= begin <= end");
    assertCorrupt(handMade("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4),
        "tensor \"t\"", "not a pair");
    assertCorrupt(handMade("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}",
        4), "tensor \"t\"", "not a pair");
    assertCorrupt(handMade("{\"t\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", 4),
        "tensor \"t\"", "needs 17179869184");
  }

  @Test
  void tooManyElementsForOneArrayAreRejectedBeforeAllocating() throws IOException {
    // A consistent header for 2^31 - 1 floats; the data is a hole in a sparse file, never read.
    Path f = handMade("{\"t\":{\"dtype\":\"F32\",\"shape\":[2147483647],\"data_offsets\":[0,8589934588]}}", 0);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(raf.length() + 8_589_934_588L);
    }
    assertCorrupt(f, "tensor \"t\"", "2147483647 elements are more than one Java array holds");
  }

  @Test
  void missingFileIsAnIoErrorNotCorruption() {
    assertThatThrownBy(() -> SafeTensors.read(dir.resolve("absent.safetensors")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // Writer arguments

  @Test
  void writerRefusesNamesTheFormatCannotHold() {
    HostTensor one = HostTensor.ofFloats(new float[] {1}, 1);
    assertThatThrownBy(() -> SafeTensors.toBytes(Map.of("__metadata__", one), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    assertThatThrownBy(() -> SafeTensors.toBytes(Map.of("", one), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> SafeTensors.toBytes(Map.of("bad\ud800", one), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
  }

  @Test
  void failedWriteLeavesThePreviousFile() throws IOException {
    Path f = dir.resolve("keep.safetensors");
    SafeTensors.write(f, interopTensors(), Map.of());
    byte[] before = Files.readAllBytes(f);

    assertThatThrownBy(() -> SafeTensors.write(f, Map.of("bad\udc00", HostTensor.ofFloats(new float[0], 0)), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(Files.readAllBytes(f)).isEqualTo(before);
    try (var s = Files.list(dir)) {
      assertThat(s).containsExactly(f);
    }
  }

  @Test
  void elementTypesMapToBackendDtypes() {
    assertThat(ElementType.of(dev.vae.api.DType.FLOAT32)).isEqualTo(ElementType.F32);
    assertThat(ElementType.F64.dtype()).isEqualTo(dev.vae.api.DType.FLOAT64);
    assertThatThrownBy(ElementType.I64::dtype).isInstanceOf(IllegalStateException.class);
  }
}
