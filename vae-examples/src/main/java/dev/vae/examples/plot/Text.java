package dev.vae.examples.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Shape;

/** Draws one line of text inside a box: shrinks the font to fit, then cuts with an ellipsis. */
final class Text {

    /** Panel and picture titles. */
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    /** Row labels and axis annotations. */
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private static final float SMALLEST_SIZE = 8f;

    /** Horizontal placement inside the box. */
    enum Align { LEFT, CENTRE, RIGHT }

    private Text() {
    }

    /** Black on a light background, white on a dark one. */
    static Color on(Color background) {
        double luminance = 0.2126 * background.getRed() + 0.7152 * background.getGreen()
                + 0.0722 * background.getBlue();
        return luminance >= 128 ? Color.BLACK : Color.WHITE;
    }

    static void draw(Graphics2D g, String text, Font font, Color colour,
                     int x, int y, int width, int height, Align align) {
        if (text == null || text.isEmpty() || width <= 0 || height <= 0) {
            return;
        }
        Font f = font;
        FontMetrics fm = g.getFontMetrics(f);
        while (fm.stringWidth(text) > width && f.getSize2D() > SMALLEST_SIZE) {
            f = f.deriveFont(Math.max(SMALLEST_SIZE, f.getSize2D() - 1f));
            fm = g.getFontMetrics(f);
        }
        String shown = text;
        if (fm.stringWidth(shown) > width) {
            String ellipsis = "\u2026";
            int keep = shown.length();
            while (keep > 0 && fm.stringWidth(shown.substring(0, keep) + ellipsis) > width) {
                keep--;
            }
            shown = shown.substring(0, keep) + ellipsis;
        }
        int textWidth = fm.stringWidth(shown);
        int tx = switch (align) {
            case LEFT -> x;
            case CENTRE -> x + (width - textWidth) / 2;
            case RIGHT -> x + width - textWidth;
        };
        int ty = y + (height - fm.getHeight()) / 2 + fm.getAscent();
        Shape clip = g.getClip();
        g.clipRect(x, y, width, height);
        g.setFont(f);
        g.setColor(colour);
        g.drawString(shown, tx, ty);
        g.setClip(clip);
    }
}
