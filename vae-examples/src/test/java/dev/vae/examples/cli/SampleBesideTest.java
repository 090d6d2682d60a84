package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.plot.ImageGrid;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vae sample --beside}: two runs' ancestral samples side by side, from the same z and noise. */
class SampleBesideTest {
  private static void train(Path data, Path run, int latent) {
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--binarize", "none",
        "--likelihood", "gaussian", "--likelihood-options", "sigma=learned", "--epochs", "1", "--batch-size", "32",
        "--hidden", "16", "--latent", Integer.toString(latent), "--no-pictures");
    assertThat(trained.exitCode()).as(trained.out()).isZero();
  }

  @Test
  void aRunBesideItselfGivesTwoIdenticalPanelsAndADifferentLatentSizeIsRefused(@TempDir Path dir) throws Exception {
    Path data = SyntheticMnist.write(dir.resolve("data"), 64, 16);
    Path run = dir.resolve("a");
    train(data, run, 2);
    VaeRun sampled = VaeRun.of("sample", "--run", run.toString(), "--data-dir", data.toString(), "-n", "8",
        "--beside", run.toString());
    assertThat(sampled.exitCode()).as(sampled.out()).isZero();
    BufferedImage picture = ImageIO.read(run.resolve("samples-beside.png").toFile());
    int panel = (picture.getWidth() - ImageGrid.PANEL_GAP) / 2;
    assertThat(2 * panel + ImageGrid.PANEL_GAP).as("two panels of equal width").isEqualTo(picture.getWidth());
    int differing = 0;
    int dark = 0;
    for (int y = ImageGrid.TITLE_HEIGHT; y < picture.getHeight(); y++) {
      for (int x = 0; x < panel; x++) {
        int left = picture.getRGB(x, y);
        differing += left == picture.getRGB(x + panel + ImageGrid.PANEL_GAP, y) ? 0 : 1;
        dark += (left & 0xff) < 128 ? 1 : 0;
      }
    }
    assertThat(differing).as("pixels that differ between the panels").isZero();
    assertThat(dark).as("dark pixels: the panels hold images, not just background").isPositive();

    Path other = dir.resolve("b");
    train(data, other, 3);
    VaeRun refused = VaeRun.of("sample", "--run", run.toString(), "--data-dir", data.toString(), "--beside",
        other.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("need the same latent dimension").contains("has 2").contains("has 3");
  }
}
