package dev.vae.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;

/**
 * Values on a square grid of side × side cells, drawn as coloured squares: the smallest finite
 * value dark purple, the largest yellow, along a five-colour ramp close to viridis; non-finite values
 * in the darkest colour. Cells are given row by row from the top. Circles can be drawn over it, in
 * cell units (a prior's contours, a posterior's spread).
 *
 * @param side cells along each axis
 * @param cellPixels pixels along each cell's side
 */
public record Heatmap(int side, int cellPixels) {
    private static final Color[] RAMP = {new Color(68, 1, 84), new Color(59, 82, 139), new Color(33, 145, 140),
            new Color(94, 201, 98), new Color(253, 231, 37)};

    static {
        Headless.ensure();
    }

    /** Checks the sizes. */
    public Heatmap {
        if (side < 1 || cellPixels < 1) {
            throw new IllegalArgumentException("a heatmap needs at least one cell of at least one pixel, got " + side
                    + " cells of " + cellPixels);
        }
    }

    /**
     * The values as a picture of side · cellPixels pixels square, with a white circle for each
     * {centre column, centre row, radius}, all in cells.
     */
    public BufferedImage render(double[] values, double[]... circles) {
        if (values.length != side * side) {
            throw new IllegalArgumentException("a " + side + " x " + side + " heatmap needs " + side * side
                    + " values, got " + values.length);
        }
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        int size = side * cellPixels;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int cell = 0; cell < values.length; cell++) {
            double v = values[cell];
            double t = !Double.isFinite(v) || high == low ? 0 : (v - low) / (high - low);
            int rgb = colour(t).getRGB();
            int x0 = (cell % side) * cellPixels;
            int y0 = (cell / side) * cellPixels;
            for (int y = y0; y < y0 + cellPixels; y++) {
                for (int x = x0; x < x0 + cellPixels; x++) {
                    image.setRGB(x, y, rgb);
                }
            }
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1.5f));
            for (double[] c : circles) {
                double r = c[2] * cellPixels;
                g.draw(new Ellipse2D.Double(c[0] * cellPixels - r, c[1] * cellPixels - r, 2 * r, 2 * r));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The ramp's colour at t in [0, 1]. */
    static Color colour(double t) {
        double scaled = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) scaled);
        double f = scaled - i;
        Color a = RAMP[i];
        Color b = RAMP[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }
}
