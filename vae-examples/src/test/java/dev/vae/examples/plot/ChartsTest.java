package dev.vae.examples.plot;

import static dev.vae.examples.plot.Pictures.colours;
import static dev.vae.examples.plot.Pictures.inked;
import static dev.vae.examples.plot.Pictures.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    private static final int FIRST = Charts.PALETTE.get(0).getRGB() & 0xFFFFFF;
    private static final int SECOND = Charts.PALETTE.get(1).getRGB() & 0xFFFFFF;

    @TempDir
    Path dir;

    private static double[] ramp(int n, double start, double step) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = start + step * i;
        }
        return values;
    }

    @Test
    void lineChartIsAPngOfTheRequestedSizeWithEachSeriesColour() throws IOException {
        BufferedImage image = roundTrip(LineChart.of("loss", "step", "nats").withSize(500, 300)
                .render(List.of(new Series("a", ramp(10, 0, 1)), new Series("b", ramp(10, 5, -0.5)))),
                dir.resolve("line.png"));
        assertThat(image.getWidth()).isEqualTo(500);
        assertThat(image.getHeight()).isEqualTo(300);
        assertThat(colours(image)).contains(FIRST, SECOND);
    }

    @Test
    void lineChartSkipsNonFiniteValuesAndDropsEmptySeries() {
        double[] gappy = ramp(12, 0, 1);
        gappy[3] = Double.NaN;
        gappy[7] = Double.POSITIVE_INFINITY;
        double[] missing = new double[12];
        Arrays.fill(missing, Double.NaN);
        BufferedImage image = LineChart.of("t", "x", "y").withSize(400, 300)
                .render(List.of(new Series("gappy", gappy), new Series("missing", missing)));
        assertThat(colours(image)).contains(FIRST);
        assertThat(colours(image)).as("a series with no finite value is not drawn").doesNotContain(SECOND);
    }

    @Test
    void lineChartPassesOnlyFiniteValuesWithTheirEpochs() {
        double[] gappy = {-5, Double.NaN, -3, Double.NEGATIVE_INFINITY, -1};
        org.knowm.xchart.XYChart chart = LineChart.of("t", "epoch", "y").chart(null,
                List.of(new Series("gappy", gappy)));
        org.knowm.xchart.XYSeries series = chart.getSeries("gappy");
        assertThat(series.getXData()).containsExactly(1, 3, 5);
        assertThat(series.getYData()).containsExactly(-5, -3, -1);
    }

    /** Whether no pixel of the picture's leftmost and rightmost columns, below {@code y0}, is inked. */
    private static boolean edgesClear(BufferedImage image, int x0, int x1, int y0, int y1) {
        return !inked(image, Color.WHITE, x0, y0, x0 + 2, y1) && !inked(image, Color.WHITE, x1 - 2, y0, x1, y1);
    }

    @Test
    void lineChartLegendWrapsLongNamesIntoRowsThatFitThePicture() {
        List<String> names = List.of("test, q(y|x)", "validation, q(y|x)", "labelled training batches, q(y|x)",
                "test, argmax_y L(x,y)");
        List<Series> series = new java.util.ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            series.add(new Series(names.get(k), ramp(5, 40 - 5 * k, -3)));
        }
        BufferedImage image = LineChart.of("accuracy", "epoch", "error (%)").render(series);
        int legendTop = image.getHeight() * 80 / 100;
        assertThat(edgesClear(image, 0, image.getWidth(), legendTop, image.getHeight()))
                .as("no legend entry runs off the left or right edge").isTrue();
        Set<Integer> legend = colours(image, 0, legendTop, image.getWidth(), image.getHeight());
        for (int k = 0; k < names.size(); k++) {
            assertThat(legend).as("legend swatch of %s", names.get(k))
                    .contains(Charts.PALETTE.get(k).getRGB() & 0xFFFFFF);
        }
    }

    @Test
    void manySeriesLabelOnlyTheLargestLastValuesAndSayHowManyOthers() {
        List<Series> series = new java.util.ArrayList<>();
        for (int j = 1; j <= 20; j++) {
            series.add(new Series("z" + j, ramp(3, 0.1 * j, 0.01 * j)));
        }
        LineChart chart = LineChart.of("KL per latent dimension", "epoch", "nats").withSize(480, 360);
        assertThat(chart.legend(series).entries()).extracting(Legend.Entry::name).containsExactly(
                "z20", "z19", "z18", "z17", "z16", "z15", "z14", "z13", "12 others (smaller last values)");
        BufferedImage image = TrainingCurves.of().render(List.of(
                new TrainingCurves.Panel("KL per latent dimension", "nats", series)));
        int legendTop = image.getHeight() * 80 / 100;
        assertThat(edgesClear(image, 0, image.getWidth(), legendTop, image.getHeight()))
                .as("no legend entry runs off the panel").isTrue();
        Set<Integer> legend = colours(image, 0, legendTop, image.getWidth(), image.getHeight());
        for (int k = 0; k < LineChart.MAX_LABELLED; k++) {
            assertThat(legend).as("legend swatch %d", k).contains(Charts.PALETTE.get(k).getRGB() & 0xFFFFFF);
        }
        assertThat(colours(image)).as("no colour stands for two series")
                .doesNotContain(Charts.PALETTE.get(8).getRGB() & 0xFFFFFF, Charts.PALETTE.get(9).getRGB() & 0xFFFFFF);
    }

    @Test
    void positiveValuesSpanningOrdersOfMagnitudeGetALogAxisThatSaysSo() {
        LineChart chart = LineChart.of("counts", "epoch", "-ELBO");
        org.knowm.xchart.XYChart wide = chart.chart(null, List.of(new Series("poisson", new double[] {20000, 900, 150}),
                new Series("nb", new double[] {15000, 400, 120})));
        assertThat(wide.getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(wide.getYAxisTitle()).isEqualTo("-ELBO (log scale)");
        org.knowm.xchart.XYChart narrow = chart.chart(null, List.of(new Series("a", new double[] {150, 140, 120})));
        assertThat(narrow.getStyler().isYAxisLogarithmic()).isFalse();
        assertThat(narrow.getYAxisTitle()).isEqualTo("-ELBO");
        org.knowm.xchart.XYChart negative = chart.chart(null, List.of(new Series("elbo", new double[] {-20000, -100})));
        assertThat(negative.getStyler().isYAxisLogarithmic()).as("log needs positive values").isFalse();
    }

    @Test
    void aSinglePointGetsAPaddedRangeWithRoundEnds() {
        double value = 6.877108484912061;
        org.knowm.xchart.XYChart chart = LineChart.of("I(x; z)", "epoch", "nats")
                .chart(null, List.of(new Series("I(x; z)", new double[] {value})));
        Double min = chart.getStyler().getYAxisMin();
        Double max = chart.getStyler().getYAxisMax();
        assertThat(min).isNotNull().isLessThan(value);
        assertThat(max).isNotNull().isGreaterThan(value);
        assertThat(Double.toString(min)).as("round lower end").hasSizeLessThanOrEqualTo(4);
        assertThat(Double.toString(max)).as("round upper end").hasSizeLessThanOrEqualTo(4);
        org.knowm.xchart.XYChart units = LineChart.of("active units", "epoch", "units")
                .chart(null, List.of(new Series("active units", new double[] {18})));
        assertThat(units.getStyler().getYAxisMin()).isEqualTo(16.0);
        assertThat(units.getStyler().getYAxisMax()).isEqualTo(20.0);
        BufferedImage image = LineChart.of("I(x; z)", "epoch", "nats").withSize(400, 300)
                .render(List.of(new Series("I(x; z)", new double[] {value})));
        assertThat(colours(image, 60, 40, 380, 220)).as("the point is visible").contains(FIRST);
    }

    @Test
    void lineChartWithExplicitXChecksLengths() {
        LineChart chart = LineChart.of("t", "x", "y");
        assertThatThrownBy(() -> chart.render(new double[] {1, 2, 3}, List.of(new Series("s", ramp(2, 0, 1)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("series s has 2 values; expected 3");
        assertThatThrownBy(() -> chart.render(new double[] {1, Double.NaN}, List.of(new Series("s", ramp(2, 0, 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x[1] is NaN");
        assertThatThrownBy(() -> chart.withLogX(true).render(new double[] {0, 1},
                List.of(new Series("s", ramp(2, 0, 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logarithmic");
        assertThatThrownBy(() -> chart.render(List.of(new Series("s", ramp(2, 0, 1)), new Series("s", ramp(2, 0, 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two series are named s");
        assertThatThrownBy(() -> chart.render(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series is empty");
        assertThatThrownBy(() -> chart.withSize(50, 300))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("50 x 300");
    }

    @Test
    void seriesCopiesItsValues() {
        double[] values = {1, 2};
        Series series = new Series("s", values);
        values[0] = 9;
        assertThat(series.values()).containsExactly(1, 2);
        assertThat(series).isEqualTo(Series.of("s", new float[] {1, 2}));
        assertThat(new Series("s", new double[] {1, Double.NaN}).finiteCount()).isEqualTo(1);
        assertThatThrownBy(() -> new Series(" ", values)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void barChartIsAPngOfTheRequestedSize() throws IOException {
        BufferedImage image = roundTrip(BarChart.of("KL per dimension", "dimension", "nats")
                .withSize(480, 320).render(new double[] {3, 2, 1, 0.01}), dir.resolve("bars.png"));
        assertThat(image.getWidth()).isEqualTo(480);
        assertThat(image.getHeight()).isEqualTo(320);
        assertThat(colours(image).size()).isGreaterThan(1);
        assertThat(colours(image)).contains(FIRST);
    }

    @Test
    void barChartWithNamedCategories() {
        BufferedImage image = BarChart.of("t", "x", "y").withSize(300, 200)
                .render(List.of("a", "b"), new double[] {1, 2});
        assertThat(colours(image)).contains(FIRST);
    }

    @Test
    void barChartRejectsBadInput() {
        BarChart chart = BarChart.of("t", "x", "y");
        assertThatThrownBy(() -> chart.render(new double[] {1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("values[1] (2) is NaN");
        assertThatThrownBy(() -> chart.render(List.of("a"), new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("categories has 1 entries; expected 2");
        assertThatThrownBy(() -> chart.render(new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values is empty");
    }

    @Test
    void trainingCurvesPutOnePanelPerMetricInARow() throws IOException {
        double[] validation = ramp(20, -150, 2);
        for (int i = 0; i < validation.length; i += 2) {
            validation[i] = Double.NaN;
        }
        BufferedImage image = roundTrip(TrainingCurves.of().withPanelSize(300, 200).renderElbo(
                ramp(20, -160, 3), validation, ramp(20, -140, 3), validation,
                ramp(20, 5, 1), ramp(20, 6, 1)), dir.resolve("curves.png"));
        assertThat(image.getWidth()).isEqualTo(3 * 300);
        assertThat(image.getHeight()).isEqualTo(200);
        for (int panel = 0; panel < 3; panel++) {
            assertThat(colours(image, panel * 300, 0, panel * 300 + 300, 200))
                    .as("panel %d has train and validation lines", panel).contains(FIRST, SECOND);
        }
    }

    @Test
    void trainingCurvesWrapIntoRowsAndLeaveUnusedCellsWhite() {
        BufferedImage image = TrainingCurves.of().withPanelSize(200, 150).withColumns(2)
                .render(TrainingCurves.elboPanels(ramp(5, -100, 1), null, ramp(5, -90, 1), null,
                        ramp(5, 10, 1), null));
        assertThat(image.getWidth()).isEqualTo(400);
        assertThat(image.getHeight()).isEqualTo(300);
        assertThat(inked(image, Color.WHITE, 0, 150, 200, 300)).as("third panel").isTrue();
        assertThat(inked(image, Color.WHITE, 200, 150, 400, 300)).as("unused cell").isFalse();
        assertThat(colours(image)).as("no validation series").doesNotContain(SECOND);
    }

    @Test
    void trainingCurvesRejectEmptyInput() {
        assertThatThrownBy(() -> TrainingCurves.of().render(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("panels is empty");
        assertThatThrownBy(() -> new TrainingCurves.Panel("ELBO", "nats", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("panel ELBO has no series");
        assertThatThrownBy(() -> TrainingCurves.Panel.trainValidation("ELBO", "nats", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series train");
    }
}
