package dev.vae.examples.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Tiles grey or colour images into one picture: samples, reconstructions, latent-space manifolds.
 *
 * <p>Each image is {@code imageHeight * imageWidth} floats in row-major order, or for colour three
 * such planes (red, green, blue) one after the other; 0 is black, 1 is full intensity, values
 * outside {@code [0, 1]} are clamped and NaN (in any channel) is drawn red so that it stands out.
 * Each pixel becomes a {@code scale x scale} block (nearest neighbour), so 28x28 digits at the
 * default scale of 2 are 56x56 on screen.
 *
 * <p>Layout, in pixels, with {@code t = imageWidth * scale}, {@code u = imageHeight * scale} and
 * {@code p = padding}: a grid of {@code c} columns and {@code r} rows is
 * {@code c * t + (c + 1) * p} wide and {@code r * u + (r + 1) * p} high; the tiles are separated
 * and framed by {@code p} pixels of the background colour. A title adds a band of
 * {@link #TITLE_HEIGHT} above; row labels add a column of {@code labelWidth} on the left. When
 * there are fewer images than columns, the grid has as many columns as images. Text is drawn in
 * black on a light background and white on a dark one, shrunk or cut to fit its band, so the
 * size of the picture never depends on its text.
 *
 * <p>Instances are immutable; the {@code with*} methods return changed copies.
 */
public final class ImageGrid {

    static {
        Headless.ensure();
    }

    /** Height of the band that holds a title, in pixels. */
    public static final int TITLE_HEIGHT = 24;
    /** Horizontal gap between the two panels of {@link #samplesSideBySide}, in pixels. */
    public static final int PANEL_GAP = 16;
    /** Width of the band left of a manifold grid that holds the vertical axis values. */
    public static final int AXIS_WIDTH = 72;
    /** Height of the band below a manifold grid that holds the horizontal axis values. */
    public static final int AXIS_HEIGHT = 24;
    /** Default number of columns. */
    public static final int DEFAULT_COLUMNS = 10;
    /** Default padding between tiles, in pixels. */
    public static final int DEFAULT_PADDING = 2;
    /** Default magnification of each image pixel. */
    public static final int DEFAULT_SCALE = 2;
    /** Default width of the row-label column, in pixels. */
    public static final int DEFAULT_LABEL_WIDTH = 110;
    /** Default colour of padding, gaps and text bands. */
    public static final Color DEFAULT_BACKGROUND = Color.WHITE;
    /** Colour of NaN pixels. */
    public static final Color NAN_COLOUR = new Color(255, 0, 0);

    /** Row label of each row of originals in {@link #originalsAboveReconstructions}. */
    public static final String ORIGINAL_LABEL = "original";
    /** Row label of each row of reconstructions in {@link #originalsAboveReconstructions}. */
    public static final String RECONSTRUCTION_LABEL = "reconstruction";

    /**
     * Decodes one point of a 2-D latent grid into an image, for
     * {@link #manifold(String, int, GridAxis, GridAxis, GridDecoder)}.
     */
    @FunctionalInterface
    public interface GridDecoder {
        /**
         * Decodes the latent point {@code (horizontal, vertical)}.
         *
         * @param horizontal the value on the horizontal axis
         * @param vertical   the value on the vertical axis
         * @return the decoded image, {@code channels * imageHeight * imageWidth} floats, row-major
         */
        float[] decode(double horizontal, double vertical);
    }

    private final int channels;
    private final int imageHeight;
    private final int imageWidth;
    private final int columns;
    private final int padding;
    private final int scale;
    private final int labelWidth;
    private final Color background;

    private ImageGrid(int channels, int imageHeight, int imageWidth, int columns, int padding, int scale,
                      int labelWidth, Color background) {
        this.channels = channels;
        this.imageHeight = imageHeight;
        this.imageWidth = imageWidth;
        this.columns = columns;
        this.padding = padding;
        this.scale = scale;
        this.labelWidth = labelWidth;
        this.background = background;
    }

    /**
     * A grid for images of the given size with the default layout: {@value #DEFAULT_COLUMNS}
     * columns, {@value #DEFAULT_PADDING} pixels of white padding, scale {@value #DEFAULT_SCALE}.
     *
     * @param imageHeight rows of each image, at least 1
     * @param imageWidth  columns of each image, at least 1
     * @return the grid
     */
    public static ImageGrid of(int imageHeight, int imageWidth) {
        return of(1, imageHeight, imageWidth);
    }

    /**
     * A grid for grey ({@code channels} = 1) or colour ({@code channels} = 3: red, green and blue
     * planes one after the other, as pictures [c, h, w] are laid out) images, default layout.
     *
     * @param channels    1 or 3
     * @param imageHeight rows of each image, at least 1
     * @param imageWidth  columns of each image, at least 1
     * @return the grid
     */
    public static ImageGrid of(int channels, int imageHeight, int imageWidth) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels is " + channels
                    + "; expected 1 (grey) or 3 (red, green, blue)");
        }
        positive("imageHeight", imageHeight);
        positive("imageWidth", imageWidth);
        return new ImageGrid(channels, imageHeight, imageWidth, DEFAULT_COLUMNS, DEFAULT_PADDING,
                DEFAULT_SCALE, DEFAULT_LABEL_WIDTH, DEFAULT_BACKGROUND);
    }

    /**
     * @param columns the most images per row, at least 1
     * @return a copy with that number of columns
     */
    public ImageGrid withColumns(int columns) {
        positive("columns", columns);
        return new ImageGrid(channels, imageHeight, imageWidth, columns, padding, scale, labelWidth, background);
    }

    /**
     * @param padding pixels of background between and around tiles, at least 0
     * @return a copy with that padding
     */
    public ImageGrid withPadding(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding is " + padding + "; expected at least 0");
        }
        return new ImageGrid(channels, imageHeight, imageWidth, columns, padding, scale, labelWidth, background);
    }

    /**
     * @param scale the size in screen pixels of each image pixel, at least 1
     * @return a copy with that magnification
     */
    public ImageGrid withScale(int scale) {
        positive("scale", scale);
        return new ImageGrid(channels, imageHeight, imageWidth, columns, padding, scale, labelWidth, background);
    }

    /**
     * @param labelWidth width in pixels of the row-label column, at least 1
     * @return a copy with that label column
     */
    public ImageGrid withLabelWidth(int labelWidth) {
        positive("labelWidth", labelWidth);
        return new ImageGrid(channels, imageHeight, imageWidth, columns, padding, scale, labelWidth, background);
    }

    /**
     * @param background the colour of padding, gaps and text bands
     * @return a copy with that background
     */
    public ImageGrid withBackground(Color background) {
        Objects.requireNonNull(background, "background");
        return new ImageGrid(channels, imageHeight, imageWidth, columns, padding, scale, labelWidth, background);
    }

    /** @return rows of each image */
    public int imageHeight() {
        return imageHeight;
    }

    /** @return columns of each image */
    public int imageWidth() {
        return imageWidth;
    }

    /** 1 for grey images, 3 for colour. */
    public int channels() {
        return channels;
    }

    /** @return the most images per row */
    public int columns() {
        return columns;
    }

    /** @return pixels of background between and around tiles */
    public int padding() {
        return padding;
    }

    /** @return screen pixels per image pixel, in each direction */
    public int scale() {
        return scale;
    }

    /** @return width of the row-label column */
    public int labelWidth() {
        return labelWidth;
    }

    /** @return the colour of padding, gaps and text bands */
    public Color background() {
        return background;
    }

    /**
     * Tiles the images row by row, with no title and no labels.
     *
     * @param images the images, each {@code channels * imageHeight * imageWidth} floats
     * @return the picture
     */
    public BufferedImage render(float[][] images) {
        return render(null, null, images);
    }

    /**
     * Tiles the images row by row under an optional title, with optional row labels.
     *
     * @param title     drawn centred above the grid; {@code null} or blank for none
     * @param rowLabels one label per row of the grid, drawn right-aligned left of it;
     *                  {@code null} for none
     * @param images    the images, each {@code channels * imageHeight * imageWidth} floats
     * @return the picture
     */
    public BufferedImage render(String title, List<String> rowLabels, float[][] images) {
        checkImages("images", images);
        int cols = Math.min(columns, images.length);
        int rows = ceilDiv(images.length, cols);
        if (rowLabels != null && rowLabels.size() != rows) {
            throw new IllegalArgumentException("rowLabels has " + rowLabels.size()
                    + " entries; expected " + rows + ", one per row of the grid (" + images.length
                    + " images in rows of " + cols + ")");
        }
        float[][][] cells = new float[rows][cols][];
        for (int i = 0; i < images.length; i++) {
            cells[i / cols][i % cols] = images[i];
        }
        return renderCells(title, rowLabels, cells);
    }

    /**
     * Two titled grids side by side, {@link #PANEL_GAP} pixels apart: for example ancestral samples
     * (x ~ p(x|z)) on the left and mean samples (E[x|z]) on the right. Each panel has
     * {@code min(columns, its image count)} columns and its own title band above it; the picture is
     * as high as the taller panel.
     *
     * @param leftTitle  says what the left images are, for example {@code "ANCESTRAL: x ~ p(x|z)"}
     * @param left       the left images
     * @param rightTitle says what the right images are, for example {@code "MEAN: E[x|z]"}
     * @param right      the right images
     * @return the picture
     */
    public BufferedImage samplesSideBySide(String leftTitle, float[][] left,
                                           String rightTitle, float[][] right) {
        requireTitle("leftTitle", leftTitle);
        requireTitle("rightTitle", rightTitle);
        checkImages("left", left);
        checkImages("right", right);
        return Montage.row(List.of(render(leftTitle, null, left), render(rightTitle, null, right)), background);
    }

    /**
     * Originals above their reconstructions: image {@code i} of each array sits in the same column,
     * the original in a row labelled {@value #ORIGINAL_LABEL} and its reconstruction in the row
     * right below, labelled {@value #RECONSTRUCTION_LABEL}. With more images than columns the pairs
     * of rows repeat downwards.
     *
     * @param originals       the input images
     * @param reconstructions one reconstruction per original, in the same order
     * @param title           drawn above; {@code null} or blank for none
     * @return the picture
     */
    public BufferedImage originalsAboveReconstructions(float[][] originals,
                                                       float[][] reconstructions, String title) {
        checkImages("originals", originals);
        checkImages("reconstructions", reconstructions);
        if (originals.length != reconstructions.length) {
            throw new IllegalArgumentException("reconstructions has " + reconstructions.length
                    + " images; expected " + originals.length + ", one per original");
        }
        int n = originals.length;
        int cols = Math.min(columns, n);
        int pairs = ceilDiv(n, cols);
        float[][][] cells = new float[2 * pairs][cols][];
        List<String> labels = new ArrayList<>(2 * pairs);
        for (int k = 0; k < pairs; k++) {
            labels.add(ORIGINAL_LABEL);
            labels.add(RECONSTRUCTION_LABEL);
        }
        for (int i = 0; i < n; i++) {
            cells[2 * (i / cols)][i % cols] = originals[i];
            cells[2 * (i / cols) + 1][i % cols] = reconstructions[i];
        }
        return renderCells(title, labels, cells);
    }

    /**
     * A manifold picture from images already decoded on a latent grid. {@code tiles[r][c]} is the
     * image decoded at horizontal grid point {@code c} (increasing to the right) and vertical grid
     * point {@code rows - 1 - r} (increasing upwards, so the top row holds the largest vertical
     * value), with the grid points spread as {@link GridAxis#point(int, int)} spreads them. The
     * column setting is ignored: the picture has as many columns as {@code tiles[0]}.
     *
     * <p>The axis values are written left of the top and bottom rows and below the first and last
     * columns, each as {@code name = value}; the picture is {@link #AXIS_WIDTH} wider and
     * {@link #AXIS_HEIGHT} higher than the bare grid (plus {@link #TITLE_HEIGHT} with a title).
     *
     * @param title      drawn above; {@code null} or blank for none
     * @param tiles      the decoded images, a rectangular {@code rows x cols} array
     * @param horizontal the latent axis that varies along each row
     * @param vertical   the latent axis that varies down each column
     * @return the picture
     */
    public BufferedImage manifold(String title, float[][][] tiles, GridAxis horizontal,
                                  GridAxis vertical) {
        Objects.requireNonNull(horizontal, "horizontal");
        Objects.requireNonNull(vertical, "vertical");
        if (tiles == null || tiles.length == 0) {
            throw new IllegalArgumentException("tiles is " + (tiles == null ? "null" : "empty")
                    + "; expected a rows x cols array of decoded images");
        }
        if (tiles[0] == null || tiles[0].length == 0) {
            throw new IllegalArgumentException("tiles[0] is " + (tiles[0] == null ? "null" : "empty")
                    + "; expected at least one decoded image per row");
        }
        int cols = tiles[0].length;
        for (int r = 0; r < tiles.length; r++) {
            if (tiles[r] == null || tiles[r].length != cols) {
                throw new IllegalArgumentException("tiles[" + r + "] has "
                        + (tiles[r] == null ? "no" : String.valueOf(tiles[r].length))
                        + " images; expected " + cols + " like tiles[0] (the grid must be rectangular)");
            }
            for (int c = 0; c < cols; c++) {
                checkImage("tiles[" + r + "][" + c + "]", tiles[r][c]);
            }
        }
        int rows = tiles.length;
        boolean titled = title != null && !title.isBlank();
        int top = titled ? TITLE_HEIGHT : 0;
        int gridW = gridWidth(cols);
        int gridH = gridHeight(rows);
        BufferedImage out = canvas(AXIS_WIDTH + gridW, top + gridH + AXIS_HEIGHT);
        drawCells(out, tiles, AXIS_WIDTH, top);
        Graphics2D g = graphics(out);
        try {
            Color ink = Text.on(background);
            if (titled) {
                Text.draw(g, title, Text.TITLE, ink, 0, 0, out.getWidth(), TITLE_HEIGHT, Text.Align.CENTRE);
            }
            int tileW = imageWidth * scale;
            int tileH = imageHeight * scale;
            // Vertical axis: largest value at the top row, smallest at the bottom row.
            int[] rowIndex = rows == 1 ? new int[] {0} : new int[] {0, rows - 1};
            for (int r : rowIndex) {
                double value = vertical.point(rows - 1 - r, rows);
                int y = top + padding + r * (tileH + padding);
                Text.draw(g, axisText(vertical, value), Text.LABEL, ink, 0, y, AXIS_WIDTH - 4, tileH,
                        Text.Align.RIGHT);
            }
            // Horizontal axis: smallest value under the first column, largest under the last.
            int labelW = Math.max(tileW + padding, AXIS_WIDTH);
            int[] colIndex = cols == 1 ? new int[] {0} : new int[] {0, cols - 1};
            for (int c : colIndex) {
                double value = horizontal.point(c, cols);
                int centre = AXIS_WIDTH + padding + c * (tileW + padding) + tileW / 2;
                int x = Math.max(0, Math.min(out.getWidth() - labelW, centre - labelW / 2));
                Text.draw(g, axisText(horizontal, value), Text.LABEL, ink, x, top + gridH,
                        labelW, AXIS_HEIGHT, Text.Align.CENTRE);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * A manifold picture decoded on the spot: calls {@code decoder} at every point of an
     * {@code n x n} grid over the two axes, then lays the images out as
     * {@link #manifold(String, float[][][], GridAxis, GridAxis)} does.
     *
     * @param title      drawn above; {@code null} or blank for none
     * @param n          grid points per axis, at least 1
     * @param horizontal the latent axis that varies along each row
     * @param vertical   the latent axis that varies down each column
     * @param decoder    maps a latent point to an image
     * @return the picture
     */
    public BufferedImage manifold(String title, int n, GridAxis horizontal, GridAxis vertical,
                                  GridDecoder decoder) {
        positive("n", n);
        Objects.requireNonNull(horizontal, "horizontal");
        Objects.requireNonNull(vertical, "vertical");
        Objects.requireNonNull(decoder, "decoder");
        float[][][] tiles = new float[n][n][];
        for (int r = 0; r < n; r++) {
            double v = vertical.point(n - 1 - r, n);
            for (int c = 0; c < n; c++) {
                double h = horizontal.point(c, n);
                float[] image = decoder.decode(h, v);
                checkImage("the decoded image at (" + horizontal.name() + " = " + h + ", "
                        + vertical.name() + " = " + v + ")", image);
                tiles[r][c] = image;
            }
        }
        return manifold(title, tiles, horizontal, vertical);
    }

    private BufferedImage renderCells(String title, List<String> rowLabels, float[][][] cells) {
        int rows = cells.length;
        int cols = cells[0].length;
        boolean titled = title != null && !title.isBlank();
        int left = rowLabels == null ? 0 : labelWidth;
        int top = titled ? TITLE_HEIGHT : 0;
        BufferedImage out = canvas(left + gridWidth(cols), top + gridHeight(rows));
        drawCells(out, cells, left, top);
        if (titled || rowLabels != null) {
            Graphics2D g = graphics(out);
            try {
                Color ink = Text.on(background);
                if (titled) {
                    Text.draw(g, title, Text.TITLE, ink, 0, 0, out.getWidth(), TITLE_HEIGHT,
                            Text.Align.CENTRE);
                }
                if (rowLabels != null) {
                    int tileH = imageHeight * scale;
                    for (int r = 0; r < rows; r++) {
                        int y = top + padding + r * (tileH + padding);
                        Text.draw(g, rowLabels.get(r), Text.LABEL, ink, 0, y, left - 6, tileH,
                                Text.Align.RIGHT);
                    }
                }
            } finally {
                g.dispose();
            }
        }
        return out;
    }

    /** Writes the tiles' pixels straight into the raster; null cells stay background. */
    private void drawCells(BufferedImage out, float[][][] cells, int left, int top) {
        int tileW = imageWidth * scale;
        int tileH = imageHeight * scale;
        int[] row = new int[tileW];
        for (int r = 0; r < cells.length; r++) {
            for (int c = 0; c < cells[r].length; c++) {
                float[] image = cells[r][c];
                if (image == null) {
                    continue;
                }
                int x0 = left + padding + c * (tileW + padding);
                int y0 = top + padding + r * (tileH + padding);
                int plane = imageHeight * imageWidth;
                for (int i = 0; i < imageHeight; i++) {
                    for (int j = 0; j < imageWidth; j++) {
                        int p = i * imageWidth + j;
                        int rgb = channels == 1 ? rgb(image[p], image[p], image[p])
                                : rgb(image[p], image[plane + p], image[2 * plane + p]);
                        for (int s = 0; s < scale; s++) {
                            row[j * scale + s] = rgb;
                        }
                    }
                    for (int s = 0; s < scale; s++) {
                        out.setRGB(x0, y0 + i * scale + s, tileW, 1, row, 0, tileW);
                    }
                }
            }
        }
    }

    private static int rgb(float red, float green, float blue) {
        if (Float.isNaN(red) || Float.isNaN(green) || Float.isNaN(blue)) {
            return NAN_COLOUR.getRGB();
        }
        return 0xFF000000 | level(red) << 16 | level(green) << 8 | level(blue);
    }

    private static int level(float value) {
        return Math.round(Math.max(0f, Math.min(1f, value)) * 255f);
    }

    private int gridWidth(int cols) {
        return cols * imageWidth * scale + (cols + 1) * padding;
    }

    private int gridHeight(int rows) {
        return rows * imageHeight * scale + (rows + 1) * padding;
    }

    private BufferedImage canvas(int width, int height) {
        return Montage.canvas(width, height, background);
    }

    private static Graphics2D graphics(BufferedImage out) {
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    private static String axisText(GridAxis axis, double value) {
        return axis.name() + " = " + String.format(Locale.ROOT, "%.2f", value);
    }

    private void checkImages(String name, float[][] images) {
        if (images == null) {
            throw new IllegalArgumentException(name + " is null; expected an array of "
                    + imageHeight + " x " + imageWidth + " images");
        }
        if (images.length == 0) {
            throw new IllegalArgumentException(name + " is empty; expected at least one "
                    + imageHeight + " x " + imageWidth + " image");
        }
        for (int i = 0; i < images.length; i++) {
            checkImage(name + "[" + i + "]", images[i]);
        }
    }

    private void checkImage(String what, float[] image) {
        int expected = channels * imageHeight * imageWidth;
        String form = " (a " + (channels == 1 ? "" : channels + " x ") + imageHeight + " x " + imageWidth
                + " image, row-major)";
        if (image == null) {
            throw new IllegalArgumentException(what + " is null; expected " + expected + " values" + form);
        }
        if (image.length != expected) {
            throw new IllegalArgumentException(what + " has " + image.length + " values; expected "
                    + expected + form);
        }
    }

    private static void requireTitle(String name, String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException(name + " is " + (title == null ? "null" : "blank")
                    + "; expected a title that says which samples the panel shows");
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " is " + value + "; expected at least 1");
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
