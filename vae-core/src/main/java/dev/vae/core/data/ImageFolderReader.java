package dev.vae.core.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a folder of pictures (PNG, and the JPEG, GIF and BMP that {@link ImageIO} reads) as
 * examples, in file-name order, values scaled to [0, 1]. Pictures directly in the folder have no
 * labels; pictures in subfolders are labelled by subfolder, classes numbered in name order. All
 * grey gives one channel, else three (red, green, blue; alpha is dropped). Pictures must share one
 * size unless a size to resize them to (bilinear) is given.
 */
public final class ImageFolderReader {
  private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

  private ImageFolderReader() {}

  /** Reads the folder; {@code resize} is {height, width}, or null to require one size. */
  public static DataSet read(Path folder, int[] resize) {
    List<Path> classes = list(folder, Files::isDirectory);
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    if (classes.isEmpty()) {
      files.addAll(list(folder, ImageFolderReader::isPicture));
    } else {
      if (!list(folder, ImageFolderReader::isPicture).isEmpty()) {
        throw new DataFormatException(folder, "holds both pictures and subfolders; put every picture in a subfolder"
            + " named after its class, or none");
      }
      for (int c = 0; c < classes.size(); c++) {
        for (Path file : list(classes.get(c), ImageFolderReader::isPicture)) {
          files.add(file);
          labels.add(c);
        }
      }
    }
    if (files.isEmpty()) {
      throw new DataFormatException(folder, "holds no pictures (" + String.join(", ", EXTENSIONS) + ")");
    }
    List<BufferedImage> images = new ArrayList<>();
    boolean grey = true;
    for (Path file : files) {
      BufferedImage image = readImage(file);
      if (resize != null) {
        image = resized(image, resize[0], resize[1]);
      } else if (!images.isEmpty() && (image.getWidth() != images.get(0).getWidth()
          || image.getHeight() != images.get(0).getHeight())) {
        throw new DataFormatException(file, "is " + image.getHeight() + "x" + image.getWidth() + " but " + files.get(0)
            + " is " + images.get(0).getHeight() + "x" + images.get(0).getWidth() + "; give a size to resize them to");
      }
      grey &= isGrey(image);
      images.add(image);
    }
    int height = images.get(0).getHeight();
    int width = images.get(0).getWidth();
    int channels = grey ? 1 : 3;
    long size = (long) images.size() * channels * height * width;
    if (size > Integer.MAX_VALUE - 8) {
      throw new DataFormatException(folder, "holds " + images.size() + " pictures of " + channels + "x" + height + "x"
          + width + " values, " + size + " in all, more than one Java array holds; resize them or use fewer");
    }
    float[] values = new float[(int) size];
    for (int i = 0; i < images.size(); i++) {
      pixels(images.get(i), channels, values, i * channels * height * width);
    }
    DataSet data = DataSet.wrap(folder.getFileName().toString(), values, channels * height * width)
        .withImageShape(channels, height, width);
    return labels.isEmpty() ? data : data.withLabels(labels.stream().mapToInt(Integer::intValue).toArray());
  }

  private static BufferedImage readImage(Path file) {
    try {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        throw new DataFormatException(file, "is not a picture this Java can read");
      }
      return image;
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
    }
  }

  /** True for pictures without colour: one colour component, or a palette of greys (1 to 8-bit grey PNGs, GIFs). */
  private static boolean isGrey(BufferedImage image) {
    if (image.getColorModel() instanceof IndexColorModel palette) {
      for (int i = 0; i < palette.getMapSize(); i++) {
        if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
          return false;
        }
      }
      return true;
    }
    return image.getColorModel().getNumColorComponents() == 1;
  }

  /**
   * Channel values in [0, 1]. A grey picture's come from its raster (8 or 16 bits, or a palette of
   * greys), copied into every channel (its RGB would pass through Java's gamma for grey); a colour
   * picture's from the RGB of each pixel.
   */
  private static void pixels(BufferedImage image, int channels, float[] out, int offset) {
    int height = image.getHeight();
    int width = image.getWidth();
    boolean grey = isGrey(image);
    IndexColorModel palette = image.getColorModel() instanceof IndexColorModel p ? p : null;
    double scale = palette != null ? 255 : (1 << image.getColorModel().getComponentSize(0)) - 1;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = grey ? 0 : image.getRGB(x, y);
        int sample = grey ? image.getRaster().getSample(x, y, 0) : 0;
        float value = grey ? (float) ((palette != null ? palette.getRed(sample) : sample) / scale) : 0;
        for (int c = 0; c < channels; c++) {
          out[offset + (c * height + y) * width + x] = grey ? value : ((rgb >> (16 - 8 * c)) & 0xFF) / 255f;
        }
      }
    }
  }

  private static BufferedImage resized(BufferedImage image, int height, int width) {
    if (image.getHeight() == height && image.getWidth() == width) {
      return image;
    }
    boolean grey = isGrey(image);
    BufferedImage out = new BufferedImage(width, height, grey ? BufferedImage.TYPE_BYTE_GRAY
        : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    return out;
  }

  private static boolean isPicture(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(file) && EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  private static List<Path> list(Path folder, java.util.function.Predicate<Path> keep) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.filter(keep).sorted().toList();
    } catch (IOException e) {
      throw new DataFormatException(folder, "cannot be listed: " + e.getMessage(), e);
    }
  }
}
