/**
 * Pictures of a VAE's behaviour, written as PNG files from plain host arrays.
 *
 * <p>Nothing here depends on the engine: images are {@code float[]} of {@code h * w} values in
 * [0, 1], latent codes are {@code double[][]} or {@code float[][]}, classes are {@code int[]} and
 * metrics are {@code double[]} with NaN for missing entries. Every renderer returns a
 * {@link java.awt.image.BufferedImage} of a size fixed by its layout parameters (never by its
 * text), and {@link dev.vae.examples.plot.Png#write} turns it into a file.
 *
 * <ul>
 *   <li>{@link dev.vae.examples.plot.ImageGrid}: tiled grayscale images, drawn with Java 2D:
 *       samples (ancestral beside mean), originals above reconstructions, manifolds over a 2-D
 *       latent grid.</li>
 *   <li>{@link dev.vae.examples.plot.LatentScatter}: latent codes coloured by class;
 *       {@link dev.vae.core.eval.Pca} projects codes of more than two dimensions.</li>
 *   <li>{@link dev.vae.examples.plot.TrainingCurves}: per-epoch ELBO, reconstruction and KL, one
 *       panel each, in one picture.</li>
 *   <li>{@link dev.vae.examples.plot.LineChart} and {@link dev.vae.examples.plot.BarChart}: small
 *       general charts, for example KL per latent dimension.</li>
 * </ul>
 *
 * <p>The charts are drawn by XChart. Everything runs headless: the classes set
 * {@code java.awt.headless=true} before they touch AWT unless the user chose otherwise. Text needs
 * a font, which the JDK finds through fontconfig (on Debian: the {@code fontconfig} and
 * {@code fonts-dejavu-core} packages). {@link dev.vae.examples.plot.PlotDemo} writes one picture of
 * each kind from synthetic data.
 */
package dev.vae.examples.plot;
