package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** The midpoint rule of {@link LatentGrid} against the standard normal's closed-form integrals. */
class LatentGridTest {
  private static final LatentGrid WIDE = LatentGrid.around(7, 140);

  @Test
  void theStandardNormalIntegratesToOneAndHasUnitVariance() {
    double[] logDensity = LatentDensities.logPrior(WIDE);
    assertThat(WIDE.logIntegral(logDensity)).isCloseTo(0, offset(1e-6));
    double[] squares = new double[WIDE.cells()];
    for (int cell = 0; cell < squares.length; cell++) {
      squares[cell] = WIDE.point(cell)[0] * WIDE.point(cell)[0];
    }
    assertThat(WIDE.integral(logDensity, squares)).isCloseTo(1, offset(1e-3));
  }

  @Test
  void aShiftedNarrowGaussianIntegratesToOneOnAWindowAroundIt() {
    LatentGrid grid = new LatentGrid(1.5, -2, 0.4, 100);
    EncodedImages one = new EncodedImages(new double[][] {{1.5, -2}}, new double[][] {{0.0025, 0.0016}});
    double[] log = new double[grid.cells()];
    for (int cell = 0; cell < log.length; cell++) {
      log[cell] = one.logDensity(0, grid.point(cell));
    }
    assertThat(grid.logIntegral(log)).isCloseTo(0, offset(1e-4));
  }

  @Test
  void theKlOfAGaussianFromTheStandardNormalMatchesItsClosedForm() {
    // KL(N(m, diag s²) || N(0, I)) = ½ Σ_j (s_j² + m_j² − 1 − ln s_j²)
    double[] m = {0.8, -1.1};
    double[] s2 = {0.3, 0.6};
    EncodedImages one = new EncodedImages(new double[][] {m}, new double[][] {s2});
    double[] logQ = new double[WIDE.cells()];
    double[] logRatio = new double[WIDE.cells()];
    double[] logPrior = LatentDensities.logPrior(WIDE);
    for (int cell = 0; cell < logQ.length; cell++) {
      logQ[cell] = one.logDensity(0, WIDE.point(cell));
      logRatio[cell] = logQ[cell] - logPrior[cell];
    }
    double closedForm = 0;
    for (int j = 0; j < 2; j++) {
      closedForm += 0.5 * (s2[j] + m[j] * m[j] - 1 - Math.log(s2[j]));
    }
    assertThat(WIDE.integral(logQ, logRatio)).isCloseTo(closedForm, offset(1e-3));
  }

  @Test
  void edgeCellsAreTheWindowsBorder() {
    LatentGrid grid = LatentGrid.around(1, 4);
    long edges = java.util.stream.IntStream.range(0, grid.cells()).filter(grid::onEdge).count();
    assertThat(edges).isEqualTo(12);
    assertThat(grid.onEdge(5)).isFalse();
    assertThat(grid.onEdge(7)).isTrue();
  }

  @Test
  void cellsRunFromTheTopLeftAndPositionsInvertPoints() {
    LatentGrid grid = LatentGrid.around(1, 4);
    assertThat(grid.point(0)).containsExactly(-0.75, 0.75);
    assertThat(grid.point(3)).containsExactly(0.75, 0.75);
    assertThat(grid.point(15)).containsExactly(0.75, -0.75);
    assertThat(grid.position(grid.point(6))).containsExactly(2.5, 1.5);
    assertThatThrownBy(() -> LatentGrid.around(0, 4)).hasMessageContaining("positive finite half-width");
  }
}
