package dev.vae.examples.plot;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/**
 * A bar chart of one value per category, rendered with XChart: for example the KL divergence of
 * each latent dimension, which shows at a glance which dimensions are active and which collapsed
 * to the prior.
 *
 * <p>Bars are drawn in the first palette colour, without a legend. Numbered bars get a numeric
 * axis with a tick every few bars; with {@value #VERTICAL_LABELS_FROM} or more named categories
 * the names turn vertical. The picture is exactly {@code width x height} pixels.
 *
 * <p>Instances are immutable; the {@code with*} methods return changed copies.
 */
public final class BarChart {

    static {
        Headless.ensure();
    }

    /** Default width in pixels. */
    public static final int DEFAULT_WIDTH = 640;
    /** Default height in pixels. */
    public static final int DEFAULT_HEIGHT = 420;

    /** From this many named categories on, their labels are drawn vertically. */
    public static final int VERTICAL_LABELS_FROM = 24;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final int width;
    private final int height;

    private BarChart(String title, String xLabel, String yLabel, int width, int height) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.width = width;
        this.height = height;
    }

    /**
     * A chart of the default size.
     *
     * @param title  drawn above the plot; {@code null} for none
     * @param xLabel the category-axis title, for example {@code "latent dimension"}
     * @param yLabel the value-axis title, for example {@code "KL (nats)"}
     * @return the chart
     */
    public static BarChart of(String title, String xLabel, String yLabel) {
        return new BarChart(Charts.nonNull(title), Charts.nonNull(xLabel), Charts.nonNull(yLabel),
                DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /**
     * @param width  picture width in pixels, at least 100
     * @param height picture height in pixels, at least 100
     * @return a copy of that size
     */
    public BarChart withSize(int width, int height) {
        Charts.checkSize(width, height);
        return new BarChart(title, xLabel, yLabel, width, height);
    }

    /**
     * One bar per index, labelled 1, 2, 3, ... (for example the latent dimensions z1, z2, z3, as
     * every picture and metrics column numbers them).
     *
     * @param values the bar heights, at least one, all finite
     * @return the picture
     */
    public BufferedImage render(double[] values) {
        if (values == null) {
            throw new IllegalArgumentException("values is null; expected one value per bar");
        }
        List<String> categories = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            categories.add(Integer.toString(i + 1));
        }
        return draw(categories, values, false);
    }

    /**
     * One bar per named category.
     *
     * @param categories the bar labels, in order
     * @param values     the bar heights, one per category, all finite
     * @return the picture
     */
    public BufferedImage render(List<String> categories, double[] values) {
        return draw(categories, values, true);
    }

    private BufferedImage draw(List<String> categories, double[] values, boolean named) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("values is " + (values == null ? "null" : "empty")
                    + "; expected at least one value to draw");
        }
        if (categories == null || categories.size() != values.length) {
            throw new IllegalArgumentException("categories has "
                    + (categories == null ? "no" : String.valueOf(categories.size()))
                    + " entries; expected " + values.length + ", one per value");
        }
        List<Double> heights = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("values[" + i + "] (" + categories.get(i) + ") is "
                        + values[i] + "; expected a finite bar height");
            }
            heights.add(values[i]);
        }
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        Charts.style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        if (named && values.length >= VERTICAL_LABELS_FROM) {
            chart.getStyler().setXAxisLabelRotation(90);
        }
        CategorySeries bars = chart.addSeries(yLabel.isEmpty() ? "value" : yLabel,
                new ArrayList<>(categories), heights);
        bars.setFillColor(Charts.PALETTE.get(0));
        return Charts.image(chart);
    }
}
