package dev.vae.core.data;

/**
 * Orthogonal Procrustes: the orthogonal d × d matrix R that brings an m × d matrix A closest to
 * another, B, R = argmin ‖B − A R‖_F over RᵀR = I (Schönemann 1966). R is the polar factor of
 * M = AᵀB, M (MᵀM)^{−1/2}, here from the eigendecomposition of MᵀM. It measures how far two
 * loading matrices are from being equal up to a rotation (or reflection) of the latent space, as
 * every maximum of the pPCA likelihood is to any other.
 */
public final class Procrustes {
  private final double[][] rotation;
  private final double relativeResidual;

  private Procrustes(double[][] rotation, double relativeResidual) {
    this.rotation = rotation;
    this.relativeResidual = relativeResidual;
  }

  /**
   * The orthogonal R that brings {@code a} closest to {@code b}, both m × d row-major with the same
   * shape.
   *
   * @throws IllegalArgumentException if the shapes differ, or AᵀB is singular (then R is not
   *     unique)
   */
  public static Procrustes fit(double[][] a, double[][] b) {
    int m = a.length;
    if (m == 0 || b.length != m) {
      throw new IllegalArgumentException("Procrustes needs two matrices with the same rows, got " + m + " and "
          + b.length);
    }
    int d = a[0].length;
    double[][] cross = new double[d][d];
    for (int i = 0; i < m; i++) {
      if (a[i].length != d || b[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + a[i].length + " and " + b[i].length
            + " columns, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          cross[j][k] += a[i][j] * b[i][k];
        }
      }
    }
    double[][] rotation = multiply(cross, inverseSquareRoot(gram(cross)));
    return new Procrustes(rotation, relativeDistance(multiply(a, rotation), b));
  }

  /** ‖B − A‖_F / ‖B‖_F for two matrices of the same shape: how far A is from B before any rotation. */
  public static double relativeDistance(double[][] a, double[][] b) {
    double difference = 0;
    double norm = 0;
    for (int i = 0; i < b.length; i++) {
      for (int k = 0; k < b[i].length; k++) {
        double e = b[i][k] - a[i][k];
        difference += e * e;
        norm += b[i][k] * b[i][k];
      }
    }
    return Math.sqrt(difference / norm);
  }

  /** R, d × d, a copy. */
  public double[][] rotation() {
    return copy(rotation);
  }

  /** ‖B − A R‖_F / ‖B‖_F: 0 when B is A rotated. */
  public double relativeResidual() {
    return relativeResidual;
  }

  /** A R for an m × d matrix A, row-major. */
  public double[][] rotate(double[][] a) {
    return multiply(a, rotation);
  }

  /** ‖RᵀR − I‖_F, which is 0 up to rounding: R is orthogonal by construction. */
  public double orthogonalityError() {
    double[][] gram = gram(rotation);
    double sum = 0;
    for (int j = 0; j < gram.length; j++) {
      for (int k = 0; k < gram.length; k++) {
        double e = gram[j][k] - (j == k ? 1 : 0);
        sum += e * e;
      }
    }
    return Math.sqrt(sum);
  }

  /**
   * ‖R − P‖_F for the signed permutation P picked greedily: the largest entry of R in magnitude
   * first, its sign at its place, then the largest among the rows and columns left, and so on. It is
   * 0 exactly when R is a signed permutation (the columns of B are those of A, reordered and
   * perhaps negated), an upper bound on the distance to the nearest one otherwise, and grows the
   * further R turns A's columns away from B's.
   */
  public double signedPermutationDistance() {
    int d = rotation.length;
    boolean[] rowTaken = new boolean[d];
    boolean[] columnTaken = new boolean[d];
    double[][] permutation = new double[d][d];
    for (int picked = 0; picked < d; picked++) {
      int bestRow = -1;
      int bestColumn = -1;
      for (int i = 0; i < d; i++) {
        for (int k = 0; k < d; k++) {
          if (!rowTaken[i] && !columnTaken[k]
              && (bestRow < 0 || Math.abs(rotation[i][k]) > Math.abs(rotation[bestRow][bestColumn]))) {
            bestRow = i;
            bestColumn = k;
          }
        }
      }
      rowTaken[bestRow] = true;
      columnTaken[bestColumn] = true;
      permutation[bestRow][bestColumn] = rotation[bestRow][bestColumn] < 0 ? -1 : 1;
    }
    double sum = 0;
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < d; k++) {
        double e = rotation[i][k] - permutation[i][k];
        sum += e * e;
      }
    }
    return Math.sqrt(sum);
  }

  /** XᵀX for an m × d matrix X. */
  private static double[][] gram(double[][] x) {
    int d = x[0].length;
    double[][] g = new double[d][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          g[j][k] += row[j] * row[k];
        }
      }
    }
    return g;
  }

  /** S^{−1/2} = V Λ^{−1/2} Vᵀ of a symmetric positive definite S = V Λ Vᵀ. */
  private static double[][] inverseSquareRoot(double[][] s) {
    SymmetricEigen.Result eig = SymmetricEigen.decompose(s);
    double[] values = eig.values();
    int d = values.length;
    if (!(values[d - 1] > 1e-12 * values[0])) {
      throw new IllegalArgumentException("AᵀB is singular (eigenvalues of its Gram matrix " + values[0] + " to "
          + values[d - 1] + "), so no single rotation is the closest");
    }
    double[][] v = eig.vectors();
    double[][] out = new double[d][d];
    for (int j = 0; j < d; j++) {
      for (int k = 0; k < d; k++) {
        double sum = 0;
        for (int t = 0; t < d; t++) {
          sum += v[j][t] * v[k][t] / Math.sqrt(values[t]);
        }
        out[j][k] = sum;
      }
    }
    return out;
  }

  private static double[][] multiply(double[][] x, double[][] y) {
    int inner = y.length;
    int cols = y[0].length;
    double[][] out = new double[x.length][cols];
    for (int i = 0; i < x.length; i++) {
      for (int t = 0; t < inner; t++) {
        for (int k = 0; k < cols; k++) {
          out[i][k] += x[i][t] * y[t][k];
        }
      }
    }
    return out;
  }

  private static double[][] copy(double[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
    }
    return out;
  }
}
