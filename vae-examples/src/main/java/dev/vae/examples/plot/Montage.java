package dev.vae.examples.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Puts finished pictures together: side by side in a row, stacked in a column, or under a title,
 * {@link ImageGrid#PANEL_GAP} pixels apart on white. Used to compare runs picture by picture.
 */
public final class Montage {
    private Montage() {
    }

    /** The pictures left to right, top-aligned. */
    public static BufferedImage row(List<BufferedImage> pictures) {
        return row(pictures, Color.WHITE);
    }

    /** The pictures left to right, top-aligned, on {@code background}. */
    static BufferedImage row(List<BufferedImage> pictures, Color background) {
        requireSome(pictures);
        int width = pictures.stream().mapToInt(BufferedImage::getWidth).sum()
                + ImageGrid.PANEL_GAP * (pictures.size() - 1);
        int height = pictures.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
        BufferedImage out = canvas(width, height, background);
        Graphics2D g = out.createGraphics();
        try {
            int x = 0;
            for (BufferedImage p : pictures) {
                g.drawImage(p, x, 0, null);
                x += p.getWidth() + ImageGrid.PANEL_GAP;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The pictures top to bottom, left-aligned. */
    public static BufferedImage column(List<BufferedImage> pictures) {
        requireSome(pictures);
        int width = pictures.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow();
        int height = pictures.stream().mapToInt(BufferedImage::getHeight).sum()
                + ImageGrid.PANEL_GAP * (pictures.size() - 1);
        BufferedImage out = canvas(width, height, Color.WHITE);
        Graphics2D g = out.createGraphics();
        try {
            int y = 0;
            for (BufferedImage p : pictures) {
                g.drawImage(p, 0, y, null);
                y += p.getHeight() + ImageGrid.PANEL_GAP;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The picture under a centred title band. */
    public static BufferedImage titled(String title, BufferedImage picture) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a titled picture needs a non-blank title");
        }
        BufferedImage out = canvas(picture.getWidth(), picture.getHeight() + ImageGrid.TITLE_HEIGHT, Color.WHITE);
        Graphics2D g = out.createGraphics();
        try {
            Text.draw(g, title, Text.TITLE, Color.BLACK, 0, 0, picture.getWidth(), ImageGrid.TITLE_HEIGHT,
                    Text.Align.CENTRE);
            g.drawImage(picture, 0, ImageGrid.TITLE_HEIGHT, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void requireSome(List<BufferedImage> pictures) {
        if (pictures.isEmpty()) {
            throw new IllegalArgumentException("a montage needs at least one picture");
        }
    }

    /** A blank picture filled with {@code background}. */
    static BufferedImage canvas(int width, int height, Color background) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(background);
            g.fillRect(0, 0, width, height);
        } finally {
            g.dispose();
        }
        return out;
    }
}
