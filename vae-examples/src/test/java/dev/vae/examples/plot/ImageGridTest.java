package dev.vae.examples.plot;

import static dev.vae.examples.plot.Pictures.at;
import static dev.vae.examples.plot.Pictures.filled;
import static dev.vae.examples.plot.Pictures.inked;
import static dev.vae.examples.plot.Pictures.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    private static final Color BLUE = new Color(0, 0, 255);
    private static final Color WHITE = Color.WHITE;
    private static final Color BLACK = Color.BLACK;

    @TempDir
    Path dir;

    /** 4 x 3 images, scale 2, padding 3, two columns, blue background. */
    private final ImageGrid small = ImageGrid.of(4, 3).withScale(2).withPadding(3).withColumns(2)
            .withBackground(BLUE);

    @Test
    void gridSizeFollowsColumnsPaddingAndScale() throws IOException {
        BufferedImage image = roundTrip(ImageGrid.of(28, 28).withColumns(4).withPadding(3).withScale(2)
                .render(images(10, 28 * 28, 0.5f)), dir.resolve("grid.png"));
        // 10 images in rows of 4: 4 columns, 3 rows of 56 x 56 tiles with 3 pixels around each.
        assertThat(image.getWidth()).isEqualTo(4 * 56 + 5 * 3);
        assertThat(image.getHeight()).isEqualTo(3 * 56 + 4 * 3);
    }

    @Test
    void colourImagesTakeTheirRedGreenAndBluePlanesInTurn() throws IOException {
        // One 1 x 2 colour image: red plane (1, 0), green plane (0.5, 0), blue plane (0, NaN).
        float[] image = {1f, 0f, 0.5f, 0f, 0f, Float.NaN};
        BufferedImage out = roundTrip(ImageGrid.of(3, 1, 2).withScale(1).withPadding(0).render(new float[][] {image}),
                dir.resolve("colour.png"));
        assertThat(out.getWidth()).isEqualTo(2);
        assertThat(out.getRGB(0, 0) & 0xFFFFFF).isEqualTo(255 << 16 | 128 << 8);
        assertThat(out.getRGB(1, 0) & 0xFFFFFF).as("NaN in one channel")
                .isEqualTo(ImageGrid.NAN_COLOUR.getRGB() & 0xFFFFFF);
        assertThatThrownBy(() -> ImageGrid.of(3, 1, 2).render(new float[][] {new float[2]}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 6 (a 3 x 1 x 2 image");
        assertThatThrownBy(() -> ImageGrid.of(2, 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 (grey) or 3 (red, green, blue)");
    }

    @Test
    void fewerImagesThanColumnsNarrowTheGrid() {
        BufferedImage image = ImageGrid.of(28, 28).withPadding(1).withScale(1)
                .render(images(3, 28 * 28, 0f));
        assertThat(image.getWidth()).isEqualTo(3 * 28 + 4);
        assertThat(image.getHeight()).isEqualTo(28 + 2);
    }

    @Test
    void titleAndRowLabelsAddTheirBands() throws IOException {
        ImageGrid grid = ImageGrid.of(28, 28).withColumns(5).withPadding(2).withScale(2)
                .withLabelWidth(90);
        BufferedImage image = roundTrip(grid.render("samples", List.of("first", "second"),
                images(10, 28 * 28, 0f)), dir.resolve("labelled.png"));
        assertThat(image.getWidth()).isEqualTo(90 + 5 * 56 + 6 * 2);
        assertThat(image.getHeight()).isEqualTo(ImageGrid.TITLE_HEIGHT + 2 * 56 + 3 * 2);
        assertThat(inked(image, WHITE, 0, 0, image.getWidth(), ImageGrid.TITLE_HEIGHT))
                .as("title drawn in the title band").isTrue();
        int firstRowTop = ImageGrid.TITLE_HEIGHT + 2;
        assertThat(inked(image, WHITE, 0, firstRowTop, 90, firstRowTop + 56))
                .as("label of the first row").isTrue();
        assertThat(inked(image, WHITE, 0, firstRowTop + 58, 90, firstRowTop + 58 + 56))
                .as("label of the second row").isTrue();
    }

    @Test
    void blankTitleAddsNoBand() {
        BufferedImage image = small.render("  ", null, images(2, 12, 1f));
        assertThat(image.getHeight()).isEqualTo(8 + 2 * 3);
    }

    @Test
    void tilesArePlacedScaledAndFramedByPadding() throws IOException {
        float[] white = filled(12, 1f);
        float[] corner = filled(12, 0f);
        corner[0] = 1f;
        float[] mixed = filled(12, 0f);
        mixed[0] = -1f;
        mixed[1] = 2f;
        mixed[2] = 0.5f;
        mixed[3] = Float.NaN;
        BufferedImage image = roundTrip(small.render(new float[][] {white, corner, mixed}),
                dir.resolve("pixels.png"));
        // Two columns of 6-pixel-wide tiles, two rows of 8-pixel-high tiles, 3 pixels of padding.
        assertThat(image.getWidth()).isEqualTo(2 * 6 + 3 * 3);
        assertThat(image.getHeight()).isEqualTo(2 * 8 + 3 * 3);
        // Padding: the frame and the gap between tiles.
        assertThat(at(image, 0, 0)).isEqualTo(BLUE);
        assertThat(at(image, 2, 2)).isEqualTo(BLUE);
        assertThat(at(image, 9, 3)).isEqualTo(BLUE);
        assertThat(at(image, 3, 11)).isEqualTo(BLUE);
        // Tile (0, 0): white from (3, 3) to (8, 10).
        assertThat(at(image, 3, 3)).isEqualTo(WHITE);
        assertThat(at(image, 8, 10)).isEqualTo(WHITE);
        // Tile (0, 1) at (12, 3): its first pixel becomes a 2 x 2 white block, the rest black.
        assertThat(at(image, 12, 3)).isEqualTo(WHITE);
        assertThat(at(image, 13, 4)).isEqualTo(WHITE);
        assertThat(at(image, 14, 3)).isEqualTo(BLACK);
        assertThat(at(image, 12, 5)).isEqualTo(BLACK);
        // Tile (1, 0) at (3, 14): clamped values, and NaN in red.
        assertThat(at(image, 3, 14)).isEqualTo(BLACK);
        assertThat(at(image, 5, 14)).isEqualTo(WHITE);
        assertThat(at(image, 7, 14)).isEqualTo(new Color(128, 128, 128));
        assertThat(at(image, 3, 16)).isEqualTo(ImageGrid.NAN_COLOUR);
        // Tile (1, 1) has no image: background.
        assertThat(inked(image, BLUE, 12, 14, 18, 22)).isFalse();
    }

    @Test
    void raggedImagesAreRejectedNamingTheImage() {
        float[][] images = {new float[28 * 28], new float[28 * 28 - 1]};
        assertThatThrownBy(() -> ImageGrid.of(28, 28).render(images))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("images[1] has 783 values")
                .hasMessageContaining("expected 784")
                .hasMessageContaining("28 x 28");
    }

    @Test
    void imagesOfTheWrongSizeAreRejected() {
        assertThatThrownBy(() -> ImageGrid.of(28, 28).render(images(2, 100, 0f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("images[0] has 100 values; expected 784");
    }

    @Test
    void emptyAndNullImagesAreRejected() {
        assertThatThrownBy(() -> small.render(new float[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images is empty");
        assertThatThrownBy(() -> small.render(new float[][] {null}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images[0] is null");
    }

    @Test
    void rowLabelCountMustMatchRows() {
        assertThatThrownBy(() -> small.render(null, List.of("only one"), images(3, 12, 0f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rowLabels has 1 entries; expected 2");
    }

    @Test
    void layoutParametersAreChecked() {
        assertThatThrownBy(() -> small.withColumns(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("columns is 0");
        assertThatThrownBy(() -> small.withScale(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scale is 0");
        assertThatThrownBy(() -> small.withPadding(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("padding is -1");
        assertThatThrownBy(() -> ImageGrid.of(0, 28)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imageHeight is 0");
    }

    @Test
    void samplesSideBySideHasTwoTitledPanels() throws IOException {
        ImageGrid grid = ImageGrid.of(4, 3).withScale(2).withPadding(3).withColumns(2);
        BufferedImage image = roundTrip(grid.samplesSideBySide("ANCESTRAL", images(4, 12, 1f),
                "MEAN", images(2, 12, 0f)), dir.resolve("side.png"));
        int leftWidth = 2 * 6 + 3 * 3;
        int rightWidth = 2 * 6 + 3 * 3;
        assertThat(image.getWidth()).isEqualTo(leftWidth + ImageGrid.PANEL_GAP + rightWidth);
        // The left panel has two rows, the right one; the picture is as high as the left panel.
        assertThat(image.getHeight()).isEqualTo(ImageGrid.TITLE_HEIGHT + 2 * 8 + 3 * 3);
        int top = ImageGrid.TITLE_HEIGHT;
        assertThat(at(image, 3, top + 3)).isEqualTo(WHITE);
        int rightX = leftWidth + ImageGrid.PANEL_GAP;
        assertThat(at(image, rightX + 3, top + 3)).isEqualTo(BLACK);
        assertThat(at(image, rightX + 12, top + 3)).isEqualTo(BLACK);
        assertThat(inked(image, WHITE, rightX, top + 3 + 8 + 3, image.getWidth(), image.getHeight()))
                .as("below the shorter right panel").isFalse();
        assertThat(inked(image, WHITE, leftWidth, 0, rightX, image.getHeight()))
                .as("gap between panels").isFalse();
    }

    @Test
    void samplesSideBySideDrawsEachTitleAboveItsPanel() {
        ImageGrid grid = ImageGrid.of(28, 28);
        BufferedImage image = grid.samplesSideBySide("ANCESTRAL", images(8, 784, 0f), "MEAN",
                images(8, 784, 0f));
        int panelWidth = (image.getWidth() - ImageGrid.PANEL_GAP) / 2;
        assertThat(inked(image, WHITE, 0, 0, panelWidth, ImageGrid.TITLE_HEIGHT)).isTrue();
        assertThat(inked(image, WHITE, panelWidth + ImageGrid.PANEL_GAP, 0, image.getWidth(),
                ImageGrid.TITLE_HEIGHT)).isTrue();
    }

    @Test
    void samplesSideBySideNeedsBothTitles() {
        assertThatThrownBy(() -> small.samplesSideBySide(null, images(1, 12, 0f), "MEAN",
                images(1, 12, 0f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leftTitle is null");
        assertThatThrownBy(() -> small.samplesSideBySide("ANCESTRAL", images(1, 12, 0f), " ",
                images(1, 12, 0f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rightTitle is blank");
        assertThatThrownBy(() -> small.samplesSideBySide("ANCESTRAL", images(1, 12, 0f), "MEAN",
                new float[][] {new float[11]}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("right[0] has 11 values; expected 12");
    }

    @Test
    void reconstructionsSitBelowTheirOriginals() throws IOException {
        ImageGrid grid = small.withLabelWidth(50);
        // Five pairs in rows of two: three pairs of rows (original, reconstruction).
        BufferedImage image = roundTrip(grid.originalsAboveReconstructions(images(5, 12, 1f),
                images(5, 12, 0f), null), dir.resolve("recon.png"));
        assertThat(image.getWidth()).isEqualTo(50 + 2 * 6 + 3 * 3);
        assertThat(image.getHeight()).isEqualTo(6 * 8 + 7 * 3);
        for (int pair = 0; pair < 3; pair++) {
            int originalY = 3 + 2 * pair * 11;
            assertThat(at(image, 50 + 3, originalY)).as("original row of pair %d", pair).isEqualTo(WHITE);
            assertThat(at(image, 50 + 3, originalY + 11)).as("reconstruction row of pair %d", pair)
                    .isEqualTo(BLACK);
            assertThat(inked(image, BLUE, 0, originalY, 50, originalY + 8)).as("original label").isTrue();
            assertThat(inked(image, BLUE, 0, originalY + 11, 50, originalY + 19))
                    .as("reconstruction label").isTrue();
        }
        // The fifth pair fills only the first column of the last pair of rows.
        assertThat(at(image, 50 + 12, 3 + 4 * 11)).isEqualTo(BLUE);
    }

    @Test
    void reconstructionCountMustMatchOriginals() {
        assertThatThrownBy(() -> small.originalsAboveReconstructions(images(5, 12, 1f),
                images(4, 12, 0f), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reconstructions has 4 images; expected 5");
    }

    @Test
    void manifoldOrientsAxesAndAddsAnnotationBands() throws IOException {
        ImageGrid grid = ImageGrid.of(4, 3).withScale(2).withPadding(3);
        GridAxis horizontal = new GridAxis("z1", 0, 1);
        GridAxis vertical = new GridAxis("z2", 0, 1);
        BufferedImage image = roundTrip(grid.manifold("manifold", 3, horizontal, vertical,
                (h, v) -> filled(12, (float) (0.1 + 0.5 * h + 0.3 * v))), dir.resolve("manifold.png"));
        int gridWidth = 3 * 6 + 4 * 3;
        int gridHeight = 3 * 8 + 4 * 3;
        assertThat(image.getWidth()).isEqualTo(ImageGrid.AXIS_WIDTH + gridWidth);
        assertThat(image.getHeight())
                .isEqualTo(ImageGrid.TITLE_HEIGHT + gridHeight + ImageGrid.AXIS_HEIGHT);
        int x0 = ImageGrid.AXIS_WIDTH + 3;
        int y0 = ImageGrid.TITLE_HEIGHT + 3;
        // Top-left is (z1 min, z2 max); bottom-left (z1 min, z2 min); top-right (z1 max, z2 max).
        assertThat(at(image, x0, y0)).isEqualTo(grayOf(0.1 + 0.3));
        assertThat(at(image, x0, y0 + 2 * 11)).isEqualTo(grayOf(0.1));
        assertThat(at(image, x0 + 2 * 9, y0)).isEqualTo(grayOf(0.1 + 0.5 + 0.3));
        assertThat(at(image, x0 + 2 * 9, y0 + 2 * 11)).isEqualTo(grayOf(0.1 + 0.5));
        assertThat(at(image, x0 + 9, y0 + 11)).isEqualTo(grayOf(0.1 + 0.25 + 0.15));
        assertThat(inked(image, WHITE, 0, y0, ImageGrid.AXIS_WIDTH, y0 + 8))
                .as("value of z2 at the top row").isTrue();
        int bottom = ImageGrid.TITLE_HEIGHT + gridHeight;
        assertThat(inked(image, WHITE, 0, bottom, image.getWidth(), image.getHeight()))
                .as("values of z1 below the grid").isTrue();
    }

    @Test
    void manifoldFromReadyTilesMatchesTheDecodedOne() {
        ImageGrid grid = ImageGrid.of(4, 3);
        GridAxis h = new GridAxis("z1", -3, 3);
        GridAxis v = new GridAxis("z2", -2, 2);
        ImageGrid.GridDecoder decoder = (a, b) -> filled(12, (float) ((a + 3) / 6 * (b + 2) / 4));
        float[][][] tiles = new float[4][4][];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                tiles[r][c] = decoder.decode(h.point(c, 4), v.point(3 - r, 4));
            }
        }
        BufferedImage decoded = grid.manifold(null, 4, h, v, decoder);
        BufferedImage ready = grid.manifold(null, tiles, h, v);
        assertThat(ready.getWidth()).isEqualTo(decoded.getWidth());
        assertThat(ready.getHeight()).isEqualTo(decoded.getHeight());
        for (int y = 0; y < ready.getHeight(); y++) {
            for (int x = 0; x < ready.getWidth(); x++) {
                assertThat(ready.getRGB(x, y)).as("pixel (%d, %d)", x, y).isEqualTo(decoded.getRGB(x, y));
            }
        }
    }

    @Test
    void manifoldRejectsRaggedTilesAndBadDecoderOutput() {
        GridAxis h = new GridAxis("z1", -3, 3);
        GridAxis v = new GridAxis("z2", -3, 3);
        float[][][] ragged = {{filled(12, 0f), filled(12, 0f)}, {filled(12, 0f)}};
        assertThatThrownBy(() -> small.manifold(null, ragged, h, v))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tiles[1] has 1 images; expected 2");
        assertThatThrownBy(() -> small.manifold(null, 2, h, v, (a, b) -> new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decoded image at (z1 = -3.0, z2 = 3.0) has 5 values; expected 12");
    }

    @Test
    void gridAxisSpreadsPointsOverItsRange() {
        GridAxis axis = new GridAxis("z1", -2, 2);
        assertThat(axis.points(5)).containsExactly(-2, -1, 0, 1, 2);
        assertThat(axis.points(1)).containsExactly(0);
        assertThatThrownBy(() -> new GridAxis("z1", 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min < max");
        assertThatThrownBy(() -> axis.point(5, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Color grayOf(double value) {
        int level = Math.round((float) value * 255f);
        return new Color(level, level, level);
    }

    private static float[][] images(int count, int size, float value) {
        float[][] images = new float[count][];
        for (int i = 0; i < count; i++) {
            images[i] = filled(size, value);
        }
        return images;
    }
}
