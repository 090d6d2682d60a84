package dev.vae.examples.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes one picture of each kind this package makes, from synthetic data, so that the layout can
 * be looked at without training a model: digit-like 28x28 images drawn from a font stand in for
 * decoder outputs, Gaussian clusters for latent codes, smooth curves for training metrics.
 *
 * <p>Run with {@code java dev.vae.examples.plot.PlotDemo [directory]}; the default directory is
 * {@code target/plot-demo}. Every picture is drawn from a fixed seed, so the files are the same on
 * every run on the same machine (the glyphs depend on the installed fonts).
 */
public final class PlotDemo {

    static {
        Headless.ensure();
    }

    private static final int SIDE = 28;

    private PlotDemo() {
    }

    /**
     * Writes the demo pictures into the directory named by the first argument, or
     * {@code target/plot-demo}, and prints their paths.
     *
     * @param args optionally, the output directory
     * @throws IOException when a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("target", "plot-demo");
        for (Path file : writeAll(dir)) {
            System.out.println(file.toAbsolutePath());
        }
    }

    /**
     * Writes every demo picture into {@code dir}.
     *
     * @param dir the output directory, created when missing
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    public static List<Path> writeAll(Path dir) throws IOException {
        SplittableRandom rng = new SplittableRandom(20240101L);
        List<Path> files = new ArrayList<>();
        ImageGrid grid = ImageGrid.of(SIDE, SIDE);

        // Samples: the same 20 "decoder means", shown as Bernoulli draws and as the means.
        float[][] means = new float[20][];
        float[][] draws = new float[20][];
        for (int i = 0; i < means.length; i++) {
            means[i] = digit(i % 10, rng.nextDouble(-0.25, 0.25), rng.nextDouble(-1.5, 1.5));
            draws[i] = new float[means[i].length];
            for (int p = 0; p < means[i].length; p++) {
                draws[i][p] = rng.nextDouble() < means[i][p] ? 1f : 0f;
            }
        }
        files.add(Png.write(grid.samplesSideBySide("ANCESTRAL: x ~ p(x|z)", draws,
                "MEAN: E[x|z]", means), dir.resolve("samples.png")));

        // Reconstructions: blurred copies of 12 originals.
        float[][] originals = new float[12][];
        float[][] reconstructions = new float[12][];
        for (int i = 0; i < originals.length; i++) {
            originals[i] = digit((i * 7) % 10, rng.nextDouble(-0.3, 0.3), rng.nextDouble(-2, 2));
            reconstructions[i] = blur(originals[i]);
        }
        files.add(Png.write(grid.withColumns(8).originalsAboveReconstructions(originals,
                reconstructions, "test-set reconstructions"), dir.resolve("reconstructions.png")));

        // Manifold: four digits blended over a 2-D latent grid.
        float[][] corners = {digit(7, 0, 0), digit(9, 0, 0), digit(0, 0, 0), digit(1, 0, 0)};
        files.add(Png.write(grid.withScale(1).manifold("decoder mean over the latent plane", 12,
                new GridAxis("z1", -3, 3), new GridAxis("z2", -3, 3),
                (z1, z2) -> blend(corners, sigmoid(z1), sigmoid(z2))), dir.resolve("manifold.png")));

        // Latent codes: ten clusters in 2-D, and the same in 8-D seen through PCA.
        int n = 2000;
        int[] labels = new int[n];
        double[][] codes2 = new double[n][2];
        double[][] codes8 = new double[n][8];
        double[][] centres8 = new double[10][8];
        for (double[] c : centres8) {
            for (int j = 0; j < c.length; j++) {
                c[j] = 3 * gaussian(rng);
            }
        }
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(10);
            labels[i] = k;
            double angle = 2 * Math.PI * k / 10;
            codes2[i][0] = 2.5 * Math.cos(angle) + 0.6 * gaussian(rng);
            codes2[i][1] = 2.5 * Math.sin(angle) + 0.6 * gaussian(rng);
            for (int j = 0; j < 8; j++) {
                codes8[i][j] = centres8[k][j] + gaussian(rng);
            }
        }
        LatentScatter scatter = LatentScatter.of();
        files.add(Png.write(scatter.render("posterior means, d = 2", "z1", "z2", codes2, labels),
                dir.resolve("latent-2d.png")));
        dev.vae.core.eval.Pca pca = dev.vae.core.eval.Pca.fit(codes8, 2);
        files.add(Png.write(scatter.render("posterior means, d = 8, first two principal components",
                LatentScatter.axisLabel(pca, 0), LatentScatter.axisLabel(pca, 1), pca.project(codes8), labels),
                dir.resolve("latent-pca.png")));

        // Training curves: validation every other epoch, one diverged training epoch.
        int epochs = 40;
        double[][] curves = new double[6][epochs];
        for (int e = 0; e < epochs; e++) {
            double progress = 1 - Math.exp(-(e + 1) / 6.0);
            double recon = -200 + 120 * progress + 2 * gaussian(rng);
            double kl = 5 + 20 * progress + 0.5 * gaussian(rng);
            curves[0][e] = recon - kl;
            curves[2][e] = recon;
            curves[4][e] = kl;
            boolean validated = e % 2 == 1;
            curves[1][e] = validated ? recon - kl - 4 : Double.NaN;
            curves[3][e] = validated ? recon - 3 : Double.NaN;
            curves[5][e] = validated ? kl + 1 : Double.NaN;
        }
        curves[0][17] = Double.NaN;
        curves[2][17] = Double.NaN;
        curves[4][17] = Double.NaN;
        files.add(Png.write(TrainingCurves.of().renderElbo(curves[0], curves[1], curves[2],
                curves[3], curves[4], curves[5]), dir.resolve("training-curves.png")));

        // KL per latent dimension: six active dimensions, the rest collapsed to the prior.
        double[] klPerDim = new double[32];
        for (int j = 0; j < klPerDim.length; j++) {
            klPerDim[j] = j < 6 ? 4.0 - 0.5 * j : 0.01 * rng.nextDouble();
        }
        files.add(Png.write(BarChart.of("KL per latent dimension", "latent dimension", "KL (nats)")
                .render(klPerDim), dir.resolve("kl-per-dimension.png")));

        // A generic line chart: importance-sampled log-likelihood against the number of samples.
        double[] k = {1, 2, 5, 10, 50, 100, 500, 1000};
        double[] bound = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            bound[i] = -95 - 6 / Math.sqrt(k[i]);
        }
        files.add(Png.write(LineChart.of("importance-sampled log-likelihood", "samples k",
                "log p(x) bound (nats)").withLogX(true).render(k, List.of(new Series("IWAE bound", bound))),
                dir.resolve("line-chart.png")));
        return files;
    }

    /** A 28x28 image of the digit drawn from a bold sans-serif font, rotated and shifted. */
    static float[] digit(int digit, double rotation, double shift) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, SIDE, SIDE);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            FontMetrics fm = g.getFontMetrics();
            String text = Integer.toString(digit);
            g.transform(AffineTransform.getRotateInstance(rotation, SIDE / 2.0, SIDE / 2.0));
            float x = (float) ((SIDE - fm.stringWidth(text)) / 2.0 + shift);
            float y = (SIDE - fm.getAscent() * 0.72f) / 2f + fm.getAscent() * 0.72f;
            g.drawString(text, x, y);
        } finally {
            g.dispose();
        }
        float[] out = new float[SIDE * SIDE];
        int[] pixels = image.getRaster().getPixels(0, 0, SIDE, SIDE, (int[]) null);
        for (int i = 0; i < out.length; i++) {
            out[i] = pixels[i] / 255f;
        }
        return out;
    }

    private static float[] blur(float[] image) {
        float[] out = new float[image.length];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                float sum = 0;
                int count = 0;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = r + dr;
                        int cc = c + dc;
                        if (rr >= 0 && rr < SIDE && cc >= 0 && cc < SIDE) {
                            sum += image[rr * SIDE + cc];
                            count++;
                        }
                    }
                }
                out[r * SIDE + c] = sum / count;
            }
        }
        return out;
    }

    /** Bilinear blend of four images: top-left, top-right, bottom-left, bottom-right. */
    private static float[] blend(float[][] corners, double right, double up) {
        float[] out = new float[corners[0].length];
        for (int i = 0; i < out.length; i++) {
            double top = (1 - right) * corners[0][i] + right * corners[1][i];
            double bottom = (1 - right) * corners[2][i] + right * corners[3][i];
            out[i] = (float) (up * top + (1 - up) * bottom);
        }
        return out;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-1.5 * z));
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}
