package dev.vae.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart of one or more {@link Series} against a shared x axis, rendered with XChart.
 *
 * <p>Series {@code k} is drawn in colour {@code k} of the ten-colour palette, with a small marker
 * at each point when markers are on. Non-finite values are skipped and the line joins their finite
 * neighbours; a series with no finite value at all is left out of the chart and its legend. With
 * more than {@link #MAX_LABELLED} series, only the {@value #MAX_LABELLED} with the largest last
 * finite values get colours and legend entries (largest first); the others are drawn in light grey
 * and one legend entry says how many they are. The legend sits below the plot and wraps into as
 * many rows as it needs. The y axis is chosen by {@link YAxis}: logarithmic when positive values
 * span more than two decades, a padded range with round ends when all values are equal. The
 * picture is exactly {@code width x height} pixels.
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

    /** Most series that get their own colour and legend entry. */
    public static final int MAX_LABELLED = 8;

    private static final int MARKER_SIZE = 5;
    private static final Color OTHERS = new Color(0xc8c8c8);

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
        return image(null, series);
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
        return image(x, series);
    }

    /** The chart above its legend; {@code x == null} means 1, 2, 3, ... for each series. */
    BufferedImage image(double[] x, List<Series> series) {
        check(x, series);
        Legend legend = legend(series);
        int legendHeight = Math.min(legend.height(width), height / 2);
        BufferedImage plot = Charts.image(chart(x, series, height - legendHeight));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.drawImage(plot, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            legend.draw(g, 0, height - legendHeight, width);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The legend entries: every drawn series, or the labelled ones and a note on the others. */
    Legend legend(List<Series> series) {
        Color[] colours = colours(series);
        List<Legend.Entry> entries = new ArrayList<>();
        int others = 0;
        for (int k : series.size() > MAX_LABELLED ? byLastValue(series) : inOrder(series)) {
            if (colours[k] == OTHERS) {
                others++;
            } else if (colours[k] != null) {
                entries.add(new Legend.Entry(series.get(k).name(), colours[k]));
            }
        }
        if (others > 0) {
            entries.add(new Legend.Entry(others + " others (smaller last values)", OTHERS));
        }
        return new Legend(entries);
    }

    /**
     * The colour of each series: palette colour {@code k}, or with more than
     * {@link #MAX_LABELLED} series palette colour {@code rank} for the labelled ones and
     * {@link #OTHERS} for the rest; {@code null} for a series with no finite value.
     */
    private static Color[] colours(List<Series> series) {
        Color[] colours = new Color[series.size()];
        int rank = 0;
        for (int k : byLastValue(series)) {
            if (series.get(k).finiteCount() == 0) {
                continue;
            }
            colours[k] = series.size() <= MAX_LABELLED ? Charts.PALETTE.get(k % Charts.PALETTE.size())
                    : rank < MAX_LABELLED ? Charts.PALETTE.get(rank) : OTHERS;
            rank++;
        }
        return colours;
    }

    /** Series indices by their last finite value, largest first; ties and empty series keep order. */
    private static List<Integer> byLastValue(List<Series> series) {
        List<Integer> order = new ArrayList<>(inOrder(series));
        order.sort((a, b) -> Double.compare(last(series.get(b)), last(series.get(a))));
        return order;
    }

    private static List<Integer> inOrder(List<Series> series) {
        return IntStream.range(0, series.size()).boxed().toList();
    }

    private static double last(Series s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Double.isFinite(s.at(i))) {
                return s.at(i);
            }
        }
        return Double.NEGATIVE_INFINITY;
    }


    /**
     * Builds the XChart chart of the plot alone, {@code plotHeight} pixels high, without its
     * legend; {@code x == null} means 1, 2, 3, ... for each series.
     */
    XYChart chart(double[] x, List<Series> series, int plotHeight) {
        check(x, series);
        Color[] colours = colours(series);
        List<double[]> values = new ArrayList<>();
        series.forEach(s -> values.add(s.values()));
        YAxis yAxis = YAxis.of(yLabel, values);
        XYChart chart = new XYChartBuilder().width(width).height(plotHeight).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yAxis.title()).build();
        Charts.style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(MARKER_SIZE);
        chart.getStyler().setXAxisLogarithmic(logX);
        yAxis.applyTo(chart.getStyler());
        int drawn = 0;
        List<Integer> order = new ArrayList<>(inOrder(series));
        order.sort(Comparator.comparing(k -> colours[k] != OTHERS)); // the grey lines underneath
        for (int k : order) {
            if (colours[k] == null) {
                continue;
            }
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
            XYSeries line = chart.addSeries(s.name(), xs, ys);
            line.setLineColor(colours[k]);
            line.setLineStyle(new BasicStroke(colours[k] == OTHERS ? 1f : 2f));
            line.setMarkerColor(colours[k]);
            line.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            drawn++;
        }
        if (drawn == 0) {
            chart.setTitle(title.isEmpty() ? "(no finite values)" : title + " (no finite values)");
        }
        return chart;
    }

    /** The plot of {@link #chart(double[], List, int)} at the full picture height. */
    XYChart chart(double[] x, List<Series> series) {
        return chart(x, series, height);
    }

    private void check(double[] x, List<Series> series) {
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
    }
}
