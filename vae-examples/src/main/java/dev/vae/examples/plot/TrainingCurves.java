package dev.vae.examples.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-epoch training metrics as one picture of line-chart panels.
 *
 * <p>Layout decision: one PNG with one panel per metric rather than one PNG per metric, because
 * the terms of the ELBO are read together (a falling KL next to a rising reconstruction term tells
 * the story of a run) and one file is easier to keep beside a run's log. Panels fill rows of
 * {@code columns} panels, left to right, each {@code panelWidth x panelHeight}; the picture is
 * {@code min(columns, panels) * panelWidth} wide and {@code ceil(panels / columns) * panelHeight}
 * high, and unused cells of the last row are white. The x axis is the epoch, counted from 1.
 *
 * <p>Within a panel, series {@code k} keeps colour {@code k} of the palette, so train (first) and
 * validation (second) have the same colours in every panel. Non-finite entries (an epoch without
 * validation, a diverged step) are skipped and the line joins its finite neighbours; markers show
 * where the values are.
 *
 * <p>Instances are immutable; the {@code with*} methods return changed copies.
 */
public final class TrainingCurves {

    static {
        Headless.ensure();
    }

    /** Default panel width in pixels. */
    public static final int DEFAULT_PANEL_WIDTH = 480;
    /** Default panel height in pixels. */
    public static final int DEFAULT_PANEL_HEIGHT = 360;
    /** Default number of panels per row. */
    public static final int DEFAULT_COLUMNS = 3;
    /** Name of the training series in panels made by {@link Panel#trainValidation}. */
    public static final String TRAIN = "train";
    /** Name of the validation series in panels made by {@link Panel#trainValidation}. */
    public static final String VALIDATION = "validation";

    /**
     * One panel: a metric's title, its unit and its series (for example train and validation).
     *
     * @param title  the metric, drawn above the panel
     * @param yLabel the unit or quantity on the y axis
     * @param series the lines, at least one; entry {@code i} of each is epoch {@code i + 1}
     */
    public record Panel(String title, String yLabel, List<Series> series) {

        /**
         * Checks the fields and copies the list.
         *
         * @param title  the metric
         * @param yLabel its unit
         * @param series the lines, at least one
         */
        public Panel {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(yLabel, "yLabel");
            if (series == null || series.isEmpty()) {
                throw new IllegalArgumentException("panel " + title + " has no series; expected at"
                        + " least one");
            }
            series = List.copyOf(series);
        }

        /**
         * A panel with a {@value #TRAIN} series and, when given, a {@value #VALIDATION} series.
         *
         * @param title      the metric
         * @param yLabel     its unit
         * @param train      the training value of each epoch
         * @param validation the validation value of each epoch (NaN where not measured), or
         *                   {@code null} when there is no validation set
         * @return the panel
         */
        public static Panel trainValidation(String title, String yLabel, double[] train,
                                            double[] validation) {
            List<Series> series = new ArrayList<>(2);
            series.add(new Series(TRAIN, train));
            if (validation != null) {
                series.add(new Series(VALIDATION, validation));
            }
            return new Panel(title, yLabel, series);
        }
    }

    private final int panelWidth;
    private final int panelHeight;
    private final int columns;

    private TrainingCurves(int panelWidth, int panelHeight, int columns) {
        this.panelWidth = panelWidth;
        this.panelHeight = panelHeight;
        this.columns = columns;
    }

    /** @return curves with the default panel size and three panels per row */
    public static TrainingCurves of() {
        return new TrainingCurves(DEFAULT_PANEL_WIDTH, DEFAULT_PANEL_HEIGHT, DEFAULT_COLUMNS);
    }

    /**
     * @param width  panel width in pixels, at least 100
     * @param height panel height in pixels, at least 100
     * @return a copy with panels of that size
     */
    public TrainingCurves withPanelSize(int width, int height) {
        Charts.checkSize(width, height);
        return new TrainingCurves(width, height, columns);
    }

    /**
     * @param columns panels per row, at least 1
     * @return a copy with that many panels per row
     */
    public TrainingCurves withColumns(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns is " + columns + "; expected at least 1");
        }
        return new TrainingCurves(panelWidth, panelHeight, columns);
    }

    /**
     * Draws the panels in rows of {@code columns}.
     *
     * @param panels the panels, at least one
     * @return the picture
     */
    public BufferedImage render(List<Panel> panels) {
        if (panels == null || panels.isEmpty()) {
            throw new IllegalArgumentException("panels is " + (panels == null ? "null" : "empty")
                    + "; expected at least one panel");
        }
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cols * panelWidth, rows * panelHeight,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                Panel panel = Objects.requireNonNull(panels.get(i), "panel " + i);
                BufferedImage image = LineChart.of(panel.title(), "epoch", panel.yLabel())
                        .withSize(panelWidth, panelHeight).image(null, panel.series());
                g.drawImage(image, (i % cols) * panelWidth, (i / cols) * panelHeight, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * The three terms every VAE run reports, one panel each, left to right: the ELBO, the
     * reconstruction term E_q[log p(x|z)] and KL(q(z|x) || p(z)), each in nats per example with
     * train and validation series. Any validation array may be {@code null}.
     *
     * @param trainElbo                ELBO on the training set, per epoch
     * @param validationElbo           ELBO on the validation set, per epoch, or {@code null}
     * @param trainReconstruction      reconstruction log-likelihood on the training set
     * @param validationReconstruction reconstruction log-likelihood on the validation set, or
     *                                 {@code null}
     * @param trainKl                  KL term on the training set
     * @param validationKl             KL term on the validation set, or {@code null}
     * @return the picture
     */
    public BufferedImage renderElbo(double[] trainElbo, double[] validationElbo,
                                    double[] trainReconstruction, double[] validationReconstruction,
                                    double[] trainKl, double[] validationKl) {
        return render(elboPanels(trainElbo, validationElbo, trainReconstruction,
                validationReconstruction, trainKl, validationKl));
    }

    /**
     * The panels that {@link #renderElbo} draws, for callers that want to add their own.
     *
     * @param trainElbo                ELBO on the training set, per epoch
     * @param validationElbo           ELBO on the validation set, or {@code null}
     * @param trainReconstruction      reconstruction log-likelihood on the training set
     * @param validationReconstruction reconstruction log-likelihood on the validation set, or
     *                                 {@code null}
     * @param trainKl                  KL term on the training set
     * @param validationKl             KL term on the validation set, or {@code null}
     * @return the three panels
     */
    public static List<Panel> elboPanels(double[] trainElbo, double[] validationElbo,
                                         double[] trainReconstruction,
                                         double[] validationReconstruction,
                                         double[] trainKl, double[] validationKl) {
        return List.of(
                Panel.trainValidation("ELBO", "nats per example", trainElbo, validationElbo),
                Panel.trainValidation("reconstruction E[log p(x|z)]", "nats per example",
                        trainReconstruction, validationReconstruction),
                Panel.trainValidation("KL(q(z|x) || p(z))", "nats per example", trainKl,
                        validationKl));
    }
}
