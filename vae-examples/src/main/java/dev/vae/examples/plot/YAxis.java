package dev.vae.examples.plot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.knowm.xchart.style.AxesChartStyler;

/**
 * The y axis of a line chart, chosen from the values it shows.
 *
 * <p>When every finite value is positive and the largest is more than {@link #LOG_FROM_RATIO}
 * times the smallest (more than two decades), the axis is logarithmic and its title says
 * {@code "(log scale)"}. When all finite values are (nearly) equal, for example the single point of
 * a one-epoch run, the axis gets a padded range with round ends, so its labels are short
 * ({@code 6.1 ... 7.6}, not {@code 6.877108484912061}); otherwise XChart chooses the range.
 *
 * @param title       the axis title, with {@code "(log scale)"} when logarithmic
 * @param logarithmic whether the axis is logarithmic
 * @param min         the lower end, or NaN to let XChart choose
 * @param max         the upper end, or NaN to let XChart choose
 */
record YAxis(String title, boolean logarithmic, double min, double max) {

    /** Largest over smallest positive value from which the axis is logarithmic. */
    static final double LOG_FROM_RATIO = 100;

    /** Relative padding around a single value. */
    private static final double PAD = 0.1;

    /**
     * @param title  the axis title without a scale note, may be empty
     * @param values the values of every series, NaN or infinite where missing
     * @return the axis for those values
     */
    static YAxis of(String title, List<double[]> values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] series : values) {
            for (double v : series) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new YAxis(title, false, Double.NaN, Double.NaN);
        }
        if (lo > 0 && hi / lo > LOG_FROM_RATIO) {
            return new YAxis(title.isEmpty() ? "log scale" : title + " (log scale)", true,
                    Double.NaN, Double.NaN);
        }
        if (hi - lo <= 1e-9 * Math.max(1, Math.abs(hi))) {
            double pad = hi == 0 ? 1 : PAD * Math.abs(hi);
            int scale = -(int) Math.floor(Math.log10(pad));
            return new YAxis(title, false, round(lo - pad, scale, RoundingMode.FLOOR),
                    round(hi + pad, scale, RoundingMode.CEILING));
        }
        return new YAxis(title, false, Double.NaN, Double.NaN);
    }

    /** Sets the axis on a chart's styler. */
    void applyTo(AxesChartStyler styler) {
        styler.setYAxisLogarithmic(logarithmic);
        if (!Double.isNaN(min)) {
            styler.setYAxisMin(min);
            styler.setYAxisMax(max);
        }
    }

    private static double round(double value, int scale, RoundingMode mode) {
        return BigDecimal.valueOf(value).setScale(scale, mode).doubleValue();
    }
}
