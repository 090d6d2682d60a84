package dev.vae.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows, columns and titles: sizes add up with the gaps, and every picture lands where it should. */
class MontageTest {
  private static BufferedImage solid(int width, int height, Color colour) {
    return Montage.canvas(width, height, colour);
  }

  @Test
  void aRowPlacesPicturesLeftToRightWithGaps() {
    BufferedImage row = Montage.row(List.of(solid(10, 5, Color.RED), solid(7, 9, Color.BLUE)));
    assertThat(row.getWidth()).isEqualTo(10 + ImageGrid.PANEL_GAP + 7);
    assertThat(row.getHeight()).isEqualTo(9);
    assertThat(row.getRGB(9, 4)).isEqualTo(Color.RED.getRGB());
    assertThat(row.getRGB(10 + ImageGrid.PANEL_GAP, 8)).isEqualTo(Color.BLUE.getRGB());
    assertThat(row.getRGB(5, 7)).as("below the shorter picture").isEqualTo(Color.WHITE.getRGB());
  }

  @Test
  void aColumnStacksAndATitleAddsItsBand() {
    BufferedImage column = Montage.column(List.of(solid(4, 3, Color.GREEN), solid(6, 2, Color.BLACK)));
    assertThat(column.getWidth()).isEqualTo(6);
    assertThat(column.getHeight()).isEqualTo(3 + ImageGrid.PANEL_GAP + 2);
    assertThat(column.getRGB(5, 3 + ImageGrid.PANEL_GAP)).isEqualTo(Color.BLACK.getRGB());
    BufferedImage titled = Montage.titled("beta = 4", solid(50, 10, Color.RED));
    assertThat(titled.getHeight()).isEqualTo(10 + ImageGrid.TITLE_HEIGHT);
    assertThat(titled.getRGB(0, ImageGrid.TITLE_HEIGHT)).isEqualTo(Color.RED.getRGB());
    assertThatThrownBy(() -> Montage.row(List.of())).hasMessageContaining("at least one picture");
    assertThatThrownBy(() -> Montage.titled(" ", solid(1, 1, Color.RED))).hasMessageContaining("non-blank title");
  }
}
