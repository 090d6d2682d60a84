package dev.vae.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A legend that wraps its entries into as many centred rows as the width needs, so no entry runs
 * off the picture: each entry is a short line in its colour followed by its name. An entry wider
 * than the whole width on its own is shrunk, then cut with an ellipsis, by {@link Text}.
 */
final class Legend {

    /** One legend entry: the series name and its line colour. */
    record Entry(String name, Color colour) {
    }

    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private static final int SWATCH = 18;
    private static final int SWATCH_GAP = 4;
    private static final int ENTRY_GAP = 14;
    private static final int ROW_HEIGHT = 16;
    private static final int MARGIN = 6;

    private final List<Entry> entries;

    Legend(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** @return the height the legend needs at this width, 0 when it has no entries */
    int height(int width) {
        return entries.isEmpty() ? 0 : 2 * MARGIN + rows(metrics(), width - 2 * MARGIN).size() * ROW_HEIGHT;
    }

    /** Draws the legend into the band {@code [x, x + width) x [y, y + height(width))}. */
    void draw(Graphics2D g, int x, int y, int width) {
        FontMetrics fm = metrics();
        int inner = width - 2 * MARGIN;
        List<List<Entry>> rows = rows(fm, inner);
        int top = y + MARGIN;
        for (List<Entry> row : rows) {
            int rowWidth = -ENTRY_GAP;
            for (Entry e : row) {
                rowWidth += entryWidth(fm, e);
            }
            int left = x + MARGIN + Math.max(0, (inner - rowWidth) / 2);
            for (Entry e : row) {
                int w = Math.min(entryWidth(fm, e) - ENTRY_GAP, inner);
                int mid = top + ROW_HEIGHT / 2;
                g.setColor(e.colour());
                g.setStroke(new BasicStroke(2f));
                g.drawLine(left, mid, left + SWATCH, mid);
                g.fillOval(left + SWATCH / 2 - 3, mid - 3, 6, 6);
                Text.draw(g, e.name(), FONT, Color.BLACK, left + SWATCH + SWATCH_GAP, top,
                        w - SWATCH - SWATCH_GAP, ROW_HEIGHT, Text.Align.LEFT);
                left += w + ENTRY_GAP;
            }
            top += ROW_HEIGHT;
        }
    }

    /** Entries in reading order, as many per row as fit in {@code width}. */
    private List<List<Entry>> rows(FontMetrics fm, int width) {
        List<List<Entry>> rows = new ArrayList<>();
        List<Entry> row = new ArrayList<>();
        int used = 0;
        for (Entry e : entries) {
            int w = entryWidth(fm, e);
            if (!row.isEmpty() && used + w - ENTRY_GAP > width) {
                rows.add(row);
                row = new ArrayList<>();
                used = 0;
            }
            row.add(e);
            used += w;
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }

    private static int entryWidth(FontMetrics fm, Entry e) {
        return SWATCH + SWATCH_GAP + fm.stringWidth(e.name()) + ENTRY_GAP;
    }

    private static FontMetrics metrics() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(FONT);
        } finally {
            g.dispose();
        }
    }
}
