package dev.vae.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotDemoTest {

    @TempDir
    Path dir;

    @Test
    void writesOneReadablePictureOfEachKind() throws IOException {
        List<Path> files = PlotDemo.writeAll(dir);
        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly(
                "samples.png", "reconstructions.png", "manifold.png", "latent-2d.png",
                "latent-pca.png", "training-curves.png", "kl-per-dimension.png", "line-chart.png");
        for (Path file : files) {
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image).as(file.toString()).isNotNull();
            assertThat(Pictures.colours(image).size()).as(file.toString()).isGreaterThan(2);
        }
    }

    @Test
    void digitsAreDrawnInsideTheirTile() {
        float[] seven = PlotDemo.digit(7, 0, 0);
        assertThat(seven).hasSize(28 * 28);
        float ink = 0;
        float border = 0;
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                ink += seven[r * 28 + c];
                if (r == 0 || c == 0 || r == 27 || c == 27) {
                    border += seven[r * 28 + c];
                }
            }
        }
        assertThat(ink).isGreaterThan(20f);
        assertThat(border).isLessThan(1f);
    }
}
