package dev.vae.examples.plot;

import static dev.vae.examples.plot.Pictures.colours;
import static dev.vae.examples.plot.Pictures.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatentScatterTest {

    @TempDir
    Path dir;

    /** Ten classes, 20 points each, on a circle. */
    private static double[][] points(int[] labels) {
        double[][] points = new double[labels.length][2];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
            double angle = 2 * Math.PI * labels[i] / 10 + 0.01 * (i / 10);
            points[i][0] = 3 * Math.cos(angle);
            points[i][1] = 3 * Math.sin(angle);
        }
        return points;
    }

    @Test
    void writesAPngOfTheRequestedSizeWithAColourPerClassAndALegend() throws IOException {
        int[] labels = new int[200];
        double[][] points = points(labels);
        BufferedImage image = roundTrip(LatentScatter.of().withSize(700, 500).withMarkerSize(6)
                .render("codes", "z1", "z2", points, labels), dir.resolve("scatter.png"));
        assertThat(image.getWidth()).isEqualTo(700);
        assertThat(image.getHeight()).isEqualTo(500);
        Set<Integer> all = colours(image);
        assertThat(all.size()).isGreaterThan(1);
        // The legend sits right of the plot: each class colour appears in the rightmost strip.
        Set<Integer> legend = colours(image, image.getWidth() * 85 / 100, 0, image.getWidth(),
                image.getHeight());
        for (Color colour : LatentScatter.CLASS_COLOURS) {
            assertThat(legend).as("legend has colour %s", colour).contains(colour.getRGB() & 0xFFFFFF);
        }
    }

    @Test
    void unlabelledPointsHaveNoLegend() {
        int[] labels = new int[200];
        double[][] points = points(labels);
        BufferedImage image = LatentScatter.of().withSize(400, 300).render(null, "z1", "z2", points, null);
        Set<Integer> strip = colours(image, image.getWidth() * 90 / 100, 0, image.getWidth(),
                image.getHeight());
        for (int k = 1; k < 10; k++) {
            assertThat(strip).doesNotContain(LatentScatter.CLASS_COLOURS.get(k).getRGB() & 0xFFFFFF);
        }
        assertThat(colours(image)).contains(LatentScatter.CLASS_COLOURS.get(0).getRGB() & 0xFFFFFF);
    }

    @Test
    void acceptsFloatPointsAndCoordinateArrays() {
        float[][] points = {{0f, 1f}, {1f, 0f}, {2f, 2f}};
        int[] labels = {0, 1, 1};
        BufferedImage fromFloats = LatentScatter.of().withSize(300, 200).render("t", "PC1", "PC2",
                points, labels);
        BufferedImage fromArrays = LatentScatter.of().withSize(300, 200).render("t", "PC1", "PC2",
                new double[] {0, 1, 2}, new double[] {1, 0, 2}, labels);
        assertThat(fromFloats.getWidth()).isEqualTo(300);
        for (int y = 0; y < 200; y += 7) {
            for (int x = 0; x < 300; x += 7) {
                assertThat(fromFloats.getRGB(x, y)).isEqualTo(fromArrays.getRGB(x, y));
            }
        }
    }

    /** How many pixels in the rectangle are clearly blue (class 0's colour, or a tint of it). */
    private static int bluish(BufferedImage image, int x0, int y0, int x1, int y1) {
        int count = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                Color c = new Color(image.getRGB(x, y));
                if (c.getBlue() - c.getRed() > 40) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void spreadIsDrawnAsAOneSigmaEllipseAroundItsMean() {
        double[][] points = {{-4, -4}, {4, 4}, {-4, 4}, {4, -4}, {0, 0}};
        Spread[] spreads = {null, null, null, null, new Spread(4, 4, 0)};
        LatentScatter scatter = LatentScatter.of().withSize(400, 400);
        BufferedImage without = scatter.render("t", "z1", "z2", points, null);
        BufferedImage with = scatter.render("t", "z1", "z2", points, spreads, null);
        // The circle of radius 2 around (0, 0) crosses the middle row a quarter of the way in from
        // either side of the plot; no point lies there.
        int mid = with.getHeight() / 2;
        assertThat(bluish(without, 80, mid - 6, 160, mid + 6)).as("no ellipse, no ink").isZero();
        assertThat(bluish(with, 80, mid - 6, 160, mid + 6)).as("left side of the ellipse").isPositive();
        assertThat(bluish(with, 240, mid - 6, 320, mid + 6)).as("right side of the ellipse").isPositive();
    }

    @Test
    void spreadThroughTwoDirectionsIsTheProjectedCovariance() {
        double[] variances = {1, 4, 9};
        double r = Math.sqrt(0.5);
        Spread spread = Spread.projected(variances, new double[] {r, r, 0}, new double[] {0, 0, 1});
        assertThat(spread.varianceX()).isCloseTo(2.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(spread.varianceY()).isCloseTo(9, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(spread.covariance()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
        double[][] ellipse = new Spread(4, 1, 1).ellipse(0, 0, 64);
        for (int i = 0; i < ellipse[0].length; i++) {
            double x = ellipse[0][i];
            double y = ellipse[1][i];
            // On the 1-sigma contour: (x, y) Sigma^-1 (x, y)^T = 1, with Sigma^-1 = [[1, -1], [-1, 4]] / 3.
            assertThat((x * x - 2 * x * y + 4 * y * y) / 3).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThatThrownBy(() -> new Spread(-1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelCountMustMatchPointCount() {
        double[][] points = new double[10][2];
        assertThatThrownBy(() -> LatentScatter.of().render("t", "z1", "z2", points, new int[9]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels has 9 entries; expected 10, one per point");
    }

    @Test
    void pointsMustBeTwoDimensionalAndFinite() {
        assertThatThrownBy(() -> LatentScatter.of().render("t", "z1", "z2",
                new double[][] {{0, 0}, {1, 2, 3}}, new int[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points[1] has 3 coordinates; expected 2")
                .hasMessageContaining("Pca");
        assertThatThrownBy(() -> LatentScatter.of().render("t", "z1", "z2",
                new double[][] {{0, Double.NaN}}, new int[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("point 0 is (0.0, NaN)");
        assertThatThrownBy(() -> LatentScatter.of().render("t", "z1", "z2", new double[0][], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points is empty");
    }

    @Test
    void labelsMustBeNonNegativeAndNamedWhenNamesAreGiven() {
        double[][] points = {{0, 0}, {1, 1}};
        assertThatThrownBy(() -> LatentScatter.of().render("t", "z1", "z2", points, new int[] {0, -1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels[1] is -1");
        LatentScatter named = LatentScatter.of().withClassNames(List.of("shirt", "shoe"));
        assertThatThrownBy(() -> named.render("t", "z1", "z2", points, new int[] {0, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels[1] is 2; expected below 2");
        assertThatThrownBy(() -> LatentScatter.of().withClassNames(List.of("a", "a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("classNames[1]");
    }

    @Test
    void classesBeyondTenStillRender() {
        int[] labels = new int[24];
        double[][] points = new double[24][2];
        for (int i = 0; i < 24; i++) {
            labels[i] = i;
            points[i][0] = i;
            points[i][1] = i % 5;
        }
        BufferedImage image = LatentScatter.of().withSize(500, 400).render("t", "a", "b", points, labels);
        assertThat(image.getHeight()).isEqualTo(400);
    }
}
