package dev.vae.examples.cli;

/**
 * A square window of a 2-D latent space cut into side × side equal cells, for densities evaluated
 * at the cells' centres and integrated by the midpoint rule. Cells are numbered row by row from the
 * top (largest z2) and left to right (growing z1), the order pictures are drawn in.
 *
 * @param centre the window's centre (z1, z2)
 * @param halfWidth half the window's side
 * @param side cells along each axis
 */
record LatentGrid(double[] centre, double halfWidth, int side) {
  LatentGrid {
    if (centre.length != 2 || !(halfWidth > 0) || side < 2) {
      throw new IllegalArgumentException("a latent grid needs a 2-D centre, a positive half-width and at least 2 "
          + "cells a side; got " + centre.length + " coordinates, " + halfWidth + ", " + side);
    }
    centre = centre.clone();
  }

  /** The window [−h, h]² around the origin. */
  static LatentGrid around(double halfWidth, int side) {
    return new LatentGrid(new double[] {0, 0}, halfWidth, side);
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
    return new double[] {centre[0] - halfWidth + (column + 0.5) * cellWidth(),
        centre[1] + halfWidth - (row + 0.5) * cellWidth()};
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
    return new double[] {(z[0] - centre[0] + halfWidth) / cellWidth(), (centre[1] + halfWidth - z[1]) / cellWidth()};
  }

  /** log ∫ exp(f) over the window by the midpoint rule, from f at the cells' centres. */
  double logIntegral(double[] logValues) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logValues) {
      max = Math.max(max, v);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (double v : logValues) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum) + 2 * Math.log(cellWidth());
  }

  /** ∫ p · g over the window by the midpoint rule, for a density p given by its log and a function g, at the centres. */
  double expectation(double[] logDensity, double[] g) {
    double sum = 0;
    double area = cellWidth() * cellWidth();
    for (int cell = 0; cell < logDensity.length; cell++) {
      double p = Math.exp(logDensity[cell]);
      if (p > 0) {
        sum += p * g[cell] * area;
      }
    }
    return sum;
  }
}
