package dev.vae.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A scatter plot of 2-D latent codes coloured by class, rendered with XChart.
 *
 * <p>Class {@code k} is drawn in colour {@code k % 10} of {@link #CLASS_COLOURS}; classes 10 and
 * up reuse the colours with another marker shape (circle, then diamond, square, triangle). The
 * legend, right of the plot, names each class by its number or by the names given to
 * {@link #withClassNames}. Codes of more than two dimensions are projected first, for example with
 * {@link dev.vae.core.eval.Pca}, and the axis labels say so ({@code "PC1"}, {@code "PC2"}). Without labels all
 * points share one colour and there is no legend. Points may carry a {@link Spread}, for example
 * the covariance of q(z|x) projected like the means: its ±1σ ellipse is drawn around the point in a
 * pale tint of the class colour, under the points. The picture is exactly {@code width x height}
 * pixels.
 *
 * <p>Instances are immutable; the {@code with*} methods return changed copies.
 */
public final class LatentScatter {

    static {
        Headless.ensure();
    }

    /** Default width in pixels. */
    public static final int DEFAULT_WIDTH = 640;
    /** Default height in pixels. */
    public static final int DEFAULT_HEIGHT = 560;
    /** Default marker diameter in pixels. */
    public static final int DEFAULT_MARKER_SIZE = 4;
    /** The ten class colours, in class order. */
    public static final List<Color> CLASS_COLOURS = Charts.PALETTE;

    private static final int ELLIPSE_SEGMENTS = 32;
    private static final int ELLIPSE_ALPHA = 110;

    private static final Marker[] SHAPES = {
        SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP};

    private final int width;
    private final int height;
    private final int markerSize;
    private final List<String> classNames;

    private LatentScatter(int width, int height, int markerSize, List<String> classNames) {
        this.width = width;
        this.height = height;
        this.markerSize = markerSize;
        this.classNames = classNames;
    }

    /** @return a scatter plot of the default size and marker size, classes named by number */
    public static LatentScatter of() {
        return new LatentScatter(DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_MARKER_SIZE, null);
    }

    /**
     * @param width  picture width in pixels, at least 100
     * @param height picture height in pixels, at least 100
     * @return a copy of that size
     */
    public LatentScatter withSize(int width, int height) {
        Charts.checkSize(width, height);
        return new LatentScatter(width, height, markerSize, classNames);
    }

    /**
     * @param markerSize marker diameter in pixels, at least 1
     * @return a copy with that marker size
     */
    public LatentScatter withMarkerSize(int markerSize) {
        if (markerSize < 1) {
            throw new IllegalArgumentException("markerSize is " + markerSize + "; expected at least 1");
        }
        return new LatentScatter(width, height, markerSize, classNames);
    }

    /**
     * @param classNames the legend name of each class, indexed by label (for example the ten
     *                   Fashion-MNIST article names); every label must then be below its size
     * @return a copy that names classes in the legend
     */
    public LatentScatter withClassNames(List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames");
        for (int i = 0; i < classNames.size(); i++) {
            String name = classNames.get(i);
            if (name == null || name.isBlank() || classNames.subList(0, i).contains(name)) {
                throw new IllegalArgumentException("classNames[" + i + "] is "
                        + (name == null ? "null" : "\"" + name + "\"")
                        + "; expected a non-blank name that no other class has");
            }
        }
        return new LatentScatter(width, height, markerSize, List.copyOf(classNames));
    }

    /**
     * Plots {@code n} 2-D points.
     *
     * @param title  drawn above the plot; {@code null} for none
     * @param xLabel the x-axis title, for example {@code "z1"} or {@code "PC1"}
     * @param yLabel the y-axis title, for example {@code "z2"} or {@code "PC2"}
     * @param points {@code n x 2} coordinates, all finite
     * @param labels the class of each point, {@code >= 0}, or {@code null} for unlabelled points
     * @return the picture
     */
    public BufferedImage render(String title, String xLabel, String yLabel, double[][] points,
                                int[] labels) {
        return render(title, xLabel, yLabel, points, null, labels);
    }

    /**
     * Plots {@code n} 2-D points, each with the ±1σ ellipse of its spread where one is given.
     *
     * @param title   drawn above the plot; {@code null} for none
     * @param xLabel  the x-axis title
     * @param yLabel  the y-axis title
     * @param points  {@code n x 2} coordinates, all finite
     * @param spreads the spread of each point, {@code null} entries for none; {@code null} for no
     *                ellipses at all
     * @param labels  the class of each point, or {@code null}
     * @return the picture
     */
    public BufferedImage render(String title, String xLabel, String yLabel, double[][] points,
                                Spread[] spreads, int[] labels) {
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException("points is " + (points == null ? "null" : "empty")
                    + "; expected n x 2 coordinates");
        }
        double[] x = new double[points.length];
        double[] y = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            if (points[i] == null || points[i].length != 2) {
                throw new IllegalArgumentException("points[" + i + "] has "
                        + (points[i] == null ? "no" : String.valueOf(points[i].length))
                        + " coordinates; expected 2 (project codes of higher dimension first,"
                        + " for example with Pca)");
            }
            x[i] = points[i][0];
            y[i] = points[i][1];
        }
        if (spreads != null && spreads.length != points.length) {
            throw new IllegalArgumentException("spreads has " + spreads.length + " entries; expected "
                    + points.length + ", one per point (null where none)");
        }
        return draw(title, xLabel, yLabel, x, y, spreads, labels);
    }

    /**
     * Plots {@code n} 2-D float points.
     *
     * @param title  drawn above the plot; {@code null} for none
     * @param xLabel the x-axis title
     * @param yLabel the y-axis title
     * @param points {@code n x 2} coordinates, all finite
     * @param labels the class of each point, or {@code null}
     * @return the picture
     */
    public BufferedImage render(String title, String xLabel, String yLabel, float[][] points,
                                int[] labels) {
        if (points == null) {
            return render(title, xLabel, yLabel, (double[][]) null, labels);
        }
        double[][] copy = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            if (points[i] != null) {
                copy[i] = new double[points[i].length];
                for (int j = 0; j < points[i].length; j++) {
                    copy[i][j] = points[i][j];
                }
            }
        }
        return render(title, xLabel, yLabel, copy, labels);
    }

    /**
     * Plots points given as two coordinate arrays.
     *
     * @param title  drawn above the plot; {@code null} for none
     * @param xLabel the x-axis title
     * @param yLabel the y-axis title
     * @param x      the first coordinate of each point, all finite
     * @param y      the second coordinate of each point, as many as {@code x}, all finite
     * @param labels the class of each point, as many as {@code x}, or {@code null}
     * @return the picture
     */
    public BufferedImage render(String title, String xLabel, String yLabel, double[] x, double[] y,
                                int[] labels) {
        return draw(title, xLabel, yLabel, x, y, null, labels);
    }

    private BufferedImage draw(String title, String xLabel, String yLabel, double[] x, double[] y,
                               Spread[] spreads, int[] labels) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("x is " + (x == null ? "null" : "empty")
                    + "; expected at least one point");
        }
        if (y == null || y.length != x.length) {
            throw new IllegalArgumentException("y has " + (y == null ? "no" : String.valueOf(y.length))
                    + " values; expected " + x.length + ", one per point");
        }
        if (labels != null && labels.length != x.length) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries; expected "
                    + x.length + ", one per point");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("point " + i + " is (" + x[i] + ", " + y[i]
                        + "); expected finite coordinates");
            }
            if (labels != null && labels[i] < 0) {
                throw new IllegalArgumentException("labels[" + i + "] is " + labels[i]
                        + "; expected a class number >= 0");
            }
            if (labels != null && classNames != null && labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("labels[" + i + "] is " + labels[i] + "; expected"
                        + " below " + classNames.size() + ", the number of class names given");
            }
        }
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < x.length; i++) {
            byClass.computeIfAbsent(labels == null ? 0 : labels[i], k -> new ArrayList<>()).add(i);
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(Charts.nonNull(title))
                .xAxisTitle(Charts.nonNull(xLabel)).yAxisTitle(Charts.nonNull(yLabel)).build();
        Charts.style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(markerSize);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendVisible(labels != null);
        if (spreads != null) {
            for (int i = 0; i < spreads.length; i++) {
                if (spreads[i] != null) {
                    ellipse(chart, i, x[i], y[i], spreads[i], labels == null ? 0 : labels[i]);
                }
            }
        }
        for (var entry : byClass.entrySet()) {
            int label = entry.getKey();
            List<Integer> members = entry.getValue();
            double[] xs = new double[members.size()];
            double[] ys = new double[members.size()];
            for (int j = 0; j < xs.length; j++) {
                xs[j] = x[members.get(j)];
                ys[j] = y[members.get(j)];
            }
            String name = labels == null ? "codes"
                    : classNames != null ? classNames.get(label) : Integer.toString(label);
            XYSeries series = chart.addSeries(name, xs, ys);
            series.setMarkerColor(CLASS_COLOURS.get(label % CLASS_COLOURS.size()));
            series.setMarker(SHAPES[(label / CLASS_COLOURS.size()) % SHAPES.length]);
        }
        return Charts.image(chart);
    }

    private static void ellipse(XYChart chart, int i, double x, double y, Spread spread, int label) {
        double[][] contour = spread.ellipse(x, y, ELLIPSE_SEGMENTS);
        XYSeries series = chart.addSeries("spread " + i, contour[0], contour[1]);
        Color colour = CLASS_COLOURS.get(label % CLASS_COLOURS.size());
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), ELLIPSE_ALPHA));
        series.setLineStyle(new BasicStroke(1f));
        series.setShowInLegend(false);
    }

    /**
     * The axis label for principal component {@code i} of a projection, e.g.
     * {@code "PC1 (40.4% of variance)"}.
     */
    public static String axisLabel(dev.vae.core.eval.Pca pca, int i) {
        return String.format(java.util.Locale.ROOT, "PC%d (%.1f%% of variance)", i + 1,
                100 * pca.explainedFraction(i));
    }
}
