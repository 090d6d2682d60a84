package dev.vae.examples.cli;

import dev.vae.core.eval.LatentDiagnostics;

/**
 * A square window of a 2-D latent space cut into side × side equal cells, for densities evaluated
 * at the cells' centres and integrated by the midpoint rule. Cells are numbered row by row from the
 * top (largest z2) and left to right (growing z1), the order pictures are drawn in.
 *
 * @param centreX the window's centre along z1
 * @param centreY the window's centre along z2
 * @param halfWidth half the window's side
 * @param side cells along each axis
 */
record LatentGrid(double centreX, double centreY, double halfWidth, int side) {
  LatentGrid {
    if (!(halfWidth > 0) || Double.isInfinite(halfWidth) || side < 2) {
      throw new IllegalArgumentException("a latent grid needs a positive finite half-width and at least 2 cells a "
          + "side; got " + halfWidth + " and " + side);
    }
  }

  /** The window [−h, h]² around the origin. */
  static LatentGrid around(double halfWidth, int side) {
    return new LatentGrid(0, 0, halfWidth, side);
  }

  int cells() {
    return side * side;
  }

  double cellWidth() {
    return 2 * halfWidth / side;
  }

  /** The centre of cell {@code cell}. */
  double[] point(int cell) {
    int row = cell / side;
    int column = cell % side;
    return new double[] {centreX - halfWidth + (column + 0.5) * cellWidth(),
        centreY + halfWidth - (row + 0.5) * cellWidth()};
  }

  /** All cells' centres, row-major [cells, 2]. */
  double[] points() {
    double[] flat = new double[2 * cells()];
    for (int cell = 0; cell < cells(); cell++) {
      double[] z = point(cell);
      flat[2 * cell] = z[0];
      flat[2 * cell + 1] = z[1];
    }
    return flat;
  }

  /** Where point z falls in the picture, in cells: {column, row}, fractional. */
  double[] position(double[] z) {
    return new double[] {(z[0] - centreX + halfWidth) / cellWidth(), (centreY + halfWidth - z[1]) / cellWidth()};
  }

  /** Whether a cell lies on the window's edge. */
  boolean onEdge(int cell) {
    int row = cell / side;
    int column = cell % side;
    return row == 0 || column == 0 || row == side - 1 || column == side - 1;
  }

  /** log ∫ exp(f) over the window by the midpoint rule, from f at the cells' centres. */
  double logIntegral(double[] logValues) {
    return LatentDiagnostics.logMeanExp(logValues) + Math.log(logValues.length) + 2 * Math.log(cellWidth());
  }

  /**
   * ∫ p · g over the window by the midpoint rule, for a function p given by its log and a function
   * g, both at the cells' centres (an expectation when p is a density the window holds whole).
   */
  double integral(double[] logP, double[] g) {
    double sum = 0;
    double area = cellWidth() * cellWidth();
    for (int cell = 0; cell < logP.length; cell++) {
      double p = Math.exp(logP[cell]);
      if (p > 0) {
        sum += p * g[cell] * area;
      }
    }
    return sum;
  }
}
