package dev.vae.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Test helpers: write a picture as PNG, read it back, look at its pixels. */
final class Pictures {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Pictures() {
    }

    /** Writes the picture with {@link Png#write}, checks the file is a PNG, and reads it back. */
    static BufferedImage roundTrip(BufferedImage image, Path file) throws IOException {
        Png.write(image, file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(PNG_SIGNATURE.length);
        }
        assertThat(head).as("PNG signature of " + file).containsExactly(PNG_SIGNATURE);
        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read).as("ImageIO could read " + file).isNotNull();
        return read;
    }

    static Color at(BufferedImage image, int x, int y) {
        return new Color(image.getRGB(x, y), false);
    }

    static int gray(int level) {
        return new Color(level, level, level).getRGB();
    }

    static Set<Integer> colours(BufferedImage image, int x0, int y0, int x1, int y1) {
        Set<Integer> seen = new HashSet<>();
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                seen.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return seen;
    }

    static Set<Integer> colours(BufferedImage image) {
        return colours(image, 0, 0, image.getWidth(), image.getHeight());
    }

    /** Whether any pixel in the rectangle differs from {@code background}. */
    static boolean inked(BufferedImage image, Color background, int x0, int y0, int x1, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != (background.getRGB() & 0xFFFFFF)) {
                    return true;
                }
            }
        }
        return false;
    }

    static float[] filled(int size, float value) {
        float[] image = new float[size];
        java.util.Arrays.fill(image, value);
        return image;
    }
}
