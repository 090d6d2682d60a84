package dev.vae.examples.plot;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart of one or more {@link Series} against a shared x axis, rendered with XChart.
 *
 * <p>Series {@code k} is drawn in colour {@code k} of the ten-colour palette, with a small marker
 * at each point when markers are on. Non-finite values are skipped and the line joins their finite
 * neighbours; a series with no finite value at all is left out of the chart and its legend. The
 * legend sits below the plot. The picture is exactly {@code width x height} pixels.
 *
 * <p>Instances are immutable; the {@code with*} methods return changed copies.
 */
public final class LineChart {

    static {
        Headless.ensure();
    }

    /** Default width in pixels. */
    public static final int DEFAULT_WIDTH = 640;
    /** Default height in pixels. */
    public static final int DEFAULT_HEIGHT = 420;

    private static final int MARKER_SIZE = 5;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final int width;
    private final int height;
    private final boolean markers;
    private final boolean logX;

    private LineChart(String title, String xLabel, String yLabel, int width, int height,
                      boolean markers, boolean logX) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.width = width;
        this.height = height;
        this.markers = markers;
        this.logX = logX;
    }

    /**
     * A chart of the default size, with markers and a linear x axis.
     *
     * @param title  drawn above the plot; {@code null} for none
     * @param xLabel the x-axis title; {@code null} for none
     * @param yLabel the y-axis title; {@code null} for none
     * @return the chart
     */
    public static LineChart of(String title, String xLabel, String yLabel) {
        return new LineChart(Charts.nonNull(title), Charts.nonNull(xLabel), Charts.nonNull(yLabel),
                DEFAULT_WIDTH, DEFAULT_HEIGHT, true, false);
    }

    /**
     * @param width  picture width in pixels, at least 100
     * @param height picture height in pixels, at least 100
     * @return a copy of that size
     */
    public LineChart withSize(int width, int height) {
        Charts.checkSize(width, height);
        return new LineChart(title, xLabel, yLabel, width, height, markers, logX);
    }

    /**
     * @param markers whether to mark each finite point
     * @return a copy with markers on or off
     */
    public LineChart withMarkers(boolean markers) {
        return new LineChart(title, xLabel, yLabel, width, height, markers, logX);
    }

    /**
     * @param logX whether the x axis is logarithmic (then every x value must be positive)
     * @return a copy with a logarithmic or linear x axis
     */
    public LineChart withLogX(boolean logX) {
        return new LineChart(title, xLabel, yLabel, width, height, markers, logX);
    }

    /**
     * Draws each series against 1, 2, 3, ... (for example the epoch number); series may differ in
     * length.
     *
     * @param series the lines, at least one
     * @return the picture
     */
    public BufferedImage render(List<Series> series) {
        return Charts.image(chart(null, series));
    }

    /**
     * Draws each series against the given x values.
     *
     * @param x      the x value of each index, all finite; every series must have
     *               {@code x.length} values
     * @param series the lines, at least one
     * @return the picture
     */
    public BufferedImage render(double[] x, List<Series> series) {
        Objects.requireNonNull(x, "x");
        return Charts.image(chart(x, series));
    }

    /** Builds the XChart chart; {@code x == null} means 1, 2, 3, ... for each series. */
    XYChart chart(double[] x, List<Series> series) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("series is " + (series == null ? "null" : "empty")
                    + "; expected at least one series to draw");
        }
        if (x != null) {
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || (logX && x[i] <= 0)) {
                    throw new IllegalArgumentException("x[" + i + "] is " + x[i] + "; expected finite"
                            + (logX ? ", positive x values (the x axis is logarithmic)" : " x values"));
                }
            }
        }
        for (int k = 0; k < series.size(); k++) {
            Series s = Objects.requireNonNull(series.get(k), "series " + k);
            if (x != null && s.length() != x.length) {
                throw new IllegalArgumentException("series " + s.name() + " has " + s.length()
                        + " values; expected " + x.length + ", one per x value");
            }
            for (int j = 0; j < k; j++) {
                if (series.get(j).name().equals(s.name())) {
                    throw new IllegalArgumentException("two series are named " + s.name()
                            + "; expected distinct names (they are the legend)");
                }
            }
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        Charts.style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(MARKER_SIZE);
        chart.getStyler().setXAxisLogarithmic(logX);
        int drawn = 0;
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.length(); i++) {
                double y = s.at(i);
                if (Double.isFinite(y)) {
                    xs.add(x == null ? i + 1.0 : x[i]);
                    ys.add(y);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries line = chart.addSeries(s.name(), xs, ys);
            line.setLineColor(Charts.PALETTE.get(k % Charts.PALETTE.size()));
            line.setMarkerColor(Charts.PALETTE.get(k % Charts.PALETTE.size()));
            line.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            drawn++;
        }
        if (drawn == 0) {
            chart.setTitle(title.isEmpty() ? "(no finite values)" : title + " (no finite values)");
        }
        return chart;
    }
}
