package dev.vae.examples.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small MNIST-shaped data set for command-line tests: the four IDX files (28 × 28 images, digit
 * labels) under their standard names, each image a bright bar at a random place and angle on a
 * dark background, with a little noise.
 */
public final class SyntheticMnist {
  private static final int SIDE = 28;
  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private SyntheticMnist() {}

  /** Writes {@code train} training and {@code test} test images into {@code dir}, created if needed. */
  public static Path write(Path dir, int train, int test) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(1);
    writeSplit(dir, "train", train, random);
    writeSplit(dir, "t10k", test, random);
    return dir;
  }

  private static void writeSplit(Path dir, String prefix, int count, Random random) throws IOException {
    ByteBuffer images = ByteBuffer.allocate(16 + count * SIDE * SIDE);
    images.putInt(IMAGES_MAGIC).putInt(count).putInt(SIDE).putInt(SIDE);
    ByteBuffer labels = ByteBuffer.allocate(8 + count);
    labels.putInt(LABELS_MAGIC).putInt(count);
    for (int i = 0; i < count; i++) {
      double cx = 8 + 12 * random.nextDouble();
      double cy = 8 + 12 * random.nextDouble();
      double angle = Math.PI * random.nextDouble();
      for (int r = 0; r < SIDE; r++) {
        for (int c = 0; c < SIDE; c++) {
          double across = Math.abs((c - cx) * Math.sin(angle) - (r - cy) * Math.cos(angle));
          double along = Math.abs((c - cx) * Math.cos(angle) + (r - cy) * Math.sin(angle));
          double value = (across < 1.5 && along < 7 ? 0.9 : 0.05) + 0.05 * random.nextGaussian();
          images.put((byte) Math.round(255 * Math.min(1, Math.max(0, value))));
        }
      }
      labels.put((byte) (i % 10));
    }
    Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
    Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
  }
}
