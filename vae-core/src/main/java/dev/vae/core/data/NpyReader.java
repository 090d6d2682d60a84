package dev.vae.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy's {@code .npy} files (format versions 1 to 3): C-ordered arrays of floats (f4, f8),
 * unsigned and signed integers (1 to 8 bytes) or booleans, in either byte order. Examples are the
 * first axis: [n, m] rows, [n, h, w] grey images, [n, c, h, w] images with their channels first.
 * Every problem is a {@link DataFormatException} naming the file and what was found.
 */
public final class NpyReader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  /** The longest header read: NumPy's are a few hundred bytes, far below. */
  private static final int MAX_HEADER = 1 << 20;

  private NpyReader() {}

  /** An array's header: element kind ('f', 'u', 'i' or 'b'), bytes per element, byte order and shape. */
  private record Header(char kind, int bytes, ByteOrder order, int[] shape) {
    long size() {
      long size = 1;
      for (int d : shape) {
        size *= d;
      }
      return size;
    }
  }

  /** Takes an array's elements in order, as doubles, and makes what the file is read into. */
  private interface Elements<T> {
    void accept(int index, double value);

    T result();
  }

  /** The examples of an array of rank 2 to 4, as floats, named after the file. */
  public static DataSet readDataSet(Path file) {
    return read(file, header -> {
      int[] shape = header.shape;
      if (shape.length < 2 || shape.length > 4) {
        throw new DataFormatException(file, "examples need an array [n, m], [n, h, w] or [n, c, h, w]; this one is "
            + Arrays.toString(shape));
      }
      long features = header.size() / Math.max(shape[0], 1);
      if (shape[0] == 0 || features == 0 || header.size() > Integer.MAX_VALUE) {
        throw new DataFormatException(file, "an array of shape " + Arrays.toString(shape) + " holds no examples that"
            + " fit one Java array");
      }
      float[] values = new float[(int) header.size()];
      return new Elements<DataSet>() {
        @Override
        public void accept(int index, double value) {
          values[index] = (float) value;
          if (!Float.isFinite(values[index])) {
            throw new DataFormatException(file, "element " + index + " is " + values[index] + ", not a finite number");
          }
        }

        @Override
        public DataSet result() {
          DataSet set = DataSet.wrap(file.getFileName().toString(), values, (int) features);
          return switch (shape.length) {
            case 3 -> set.withImageShape(1, shape[1], shape[2]);
            case 4 -> set.withImageShape(shape[1], shape[2], shape[3]);
            default -> set;
          };
        }
      };
    });
  }

  /** Class labels: a one-dimensional array of non-negative integers (or of floats that are such integers). */
  public static int[] readLabels(Path file) {
    return read(file, header -> {
      if (header.shape.length != 1) {
        throw new DataFormatException(file, "labels need an array [n]; this one is " + Arrays.toString(header.shape));
      }
      int[] labels = new int[header.shape[0]];
      return new Elements<int[]>() {
        @Override
        public void accept(int index, double value) {
          if (value < 0 || value != Math.rint(value) || value > Integer.MAX_VALUE) {
            throw new DataFormatException(file, "label " + index + " is " + value + ", not a non-negative integer");
          }
          labels[index] = (int) value;
        }

        @Override
        public int[] result() {
          return labels;
        }
      };
    });
  }

  /** Reads the header, lets {@code elements} check it, then hands it every element in order. */
  private static <T> T read(Path file, Function<Header, Elements<T>> elementsFor) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      Header header = header(file, in);
      Elements<T> elements = elementsFor.apply(header);
      ByteBuffer element = ByteBuffer.allocate(header.bytes).order(header.order);
      DataInputStream data = new DataInputStream(in);
      long size = header.size();
      for (int i = 0; i < size; i++) {
        element.clear();
        data.readFully(element.array());
        elements.accept(i, value(header, element));
      }
      return elements.result();
    } catch (EOFException e) {
      throw new DataFormatException(file, "the file ends before the array its header declares", e);
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static double value(Header header, ByteBuffer b) {
    return switch (header.kind) {
      case 'f' -> header.bytes == 4 ? b.getFloat(0) : b.getDouble(0);
      case 'b' -> b.get(0) != 0 ? 1 : 0;
      case 'u' -> switch (header.bytes) {
        case 1 -> b.get(0) & 0xFF;
        case 2 -> b.getShort(0) & 0xFFFF;
        case 4 -> b.getInt(0) & 0xFFFFFFFFL;
        default -> b.getLong(0) >= 0 ? b.getLong(0) : b.getLong(0) + 0x1p64;
      };
      default -> switch (header.bytes) {
        case 1 -> b.get(0);
        case 2 -> b.getShort(0);
        case 4 -> b.getInt(0);
        default -> b.getLong(0);
      };
    };
  }

  private static Header header(Path file, InputStream in) throws IOException {
    byte[] magic = in.readNBytes(8);
    if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
      throw new DataFormatException(file, "is not a .npy file (it does not start with \\x93NUMPY)");
    }
    int version = magic[6];
    if (version < 1 || version > 3) {
      throw new DataFormatException(file, "has .npy format version " + version + "; versions 1 to 3 are read");
    }
    byte[] length = in.readNBytes(version == 1 ? 2 : 4);
    int headerLength = ByteBuffer.wrap(Arrays.copyOf(length, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (length.length < (version == 1 ? 2 : 4) || headerLength < 0 || headerLength > MAX_HEADER) {
      throw new DataFormatException(file, "declares a header of " + headerLength + " bytes; NumPy writes at most "
          + MAX_HEADER);
    }
    String text = new String(in.readNBytes(headerLength), version == 3 ? StandardCharsets.UTF_8
        : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(text);
    Matcher fortran = FORTRAN.matcher(text);
    Matcher shape = SHAPE.matcher(text);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      throw new DataFormatException(file, "has a header NumPy did not write: " + text.strip());
    }
    char kind = descr.group(2).charAt(0);
    int bytes = Integer.parseInt(descr.group(3));
    boolean supported = switch (kind) {
      case 'f' -> bytes == 4 || bytes == 8;
      case 'u', 'i' -> bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8;
      case 'b' -> bytes == 1;
      default -> false;
    };
    if (!supported) {
      throw new DataFormatException(file, "holds elements of type '" + descr.group(1) + kind + bytes + "'; floats (f4,"
          + " f8), integers (i1 to i8, u1 to u8) and booleans are read");
    }
    if (fortran.group(1).equals("True")) {
      throw new DataFormatException(file, "is in Fortran (column-major) order; save it with"
          + " numpy.save(path, numpy.ascontiguousarray(array))");
    }
    int[] dims;
    try {
      dims = Arrays.stream(shape.group(1).split(",")).map(String::strip).filter(d -> !d.isEmpty())
          .mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, "has a shape that is not a list of sizes: (" + shape.group(1) + ")", e);
    }
    ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    return new Header(kind, bytes, order, dims);
  }
}
