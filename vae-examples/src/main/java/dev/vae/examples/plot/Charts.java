package dev.vae.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.AxesChartStyler;

/** The look shared by every chart of this package, and checks shared by their inputs. */
final class Charts {

    static {
        Headless.ensure();
    }

    /** Smallest accepted chart width or height, in pixels. */
    static final int MIN_SIZE = 100;

    /**
     * Ten colours that stay distinct from each other (the "category10" palette of d3 and
     * matplotlib): class colours of scatter plots and series colours of line charts.
     */
    static final List<Color> PALETTE = List.of(
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf));

    private Charts() {
    }

    static void checkSize(int width, int height) {
        if (width < MIN_SIZE || height < MIN_SIZE) {
            throw new IllegalArgumentException("chart size is " + width + " x " + height
                    + " pixels; expected at least " + MIN_SIZE + " x " + MIN_SIZE);
        }
    }

    static String nonNull(String text) {
        return text == null ? "" : text;
    }

    static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0x999999));
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setChartFontColor(Color.BLACK);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLegendBorderColor(new Color(0xbbbbbb));
        styler.setSeriesColors(PALETTE.toArray(new Color[0]));
        styler.setAntiAlias(true);
        styler.setTextAntiAlias(true);
    }

    static BufferedImage image(IChart chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }
}
