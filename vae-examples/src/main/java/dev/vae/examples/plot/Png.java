package dev.vae.examples.plot;

import dev.vae.core.io.AtomicFiles;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Writes the pictures of this package to PNG files. Every renderer here returns a
 * {@link java.awt.image.BufferedImage}; this is the one place that turns one into a file.
 */
public final class Png {

    static {
        Headless.ensure();
    }

    private Png() {
    }

    /**
     * Writes {@code image} as a PNG file, creating missing parent directories and replacing a file
     * that is already there atomically (a reader never sees half a picture).
     *
     * @param image the picture
     * @param file  where to write it; its name should end in {@code .png}
     * @return {@code file}, for chaining
     * @throws IOException when the file cannot be written
     */
    public static Path write(RenderedImage image, Path file) throws IOException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(file, "file");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            AtomicFiles.write(file, out -> {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("no PNG writer is available");
                }
            });
        } catch (IOException e) {
            throw new IOException("cannot write the picture " + file + ": " + e, e);
        }
        return file;
    }
}
