package dev.vae.core.eval;

/**
 * Principal component analysis in double precision on the host, the linear baseline a VAE is
 * compared with: the top-k eigenvectors of the sample covariance by orthogonal (subspace)
 * iteration, projection onto them and reconstruction from them.
 */
public final class Pca {
  private final int dimension;
  private final double[] mean;
  /** Row-major [k, m]: component i is row i, unit length, by decreasing variance. */
  private final double[] components;
  private final double[] variances;
  private final double totalVariance;
  private final int k;

  private Pca(int dimension, double[] mean, double[] components, double[] variances, double totalVariance, int k) {
    this.dimension = dimension;
    this.mean = mean;
    this.components = components;
    this.variances = variances;
    this.totalVariance = totalVariance;
    this.k = k;
  }

  /** Fits k components to points given as rows (e.g. latent codes). */
  public static Pca fit(double[][] rows, int k) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("PCA needs at least two points, got none");
    }
    int m = rows[0].length;
    float[] flat = new float[rows.length * m];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != m) {
        throw new IllegalArgumentException("point " + i + " has " + rows[i].length + " coordinates, expected " + m);
      }
      for (int j = 0; j < m; j++) {
        flat[i * m + j] = (float) rows[i][j];
      }
    }
    return fit(flat, rows.length, m, k);
  }

  /** Fits k components to n rows of m features (row-major floats). */
  public static Pca fit(float[] data, int n, int m, int k) {
    if (k < 1 || k > m || n < 2 || data.length != (long) n * m) {
      throw new IllegalArgumentException("PCA needs 1 <= k <= m, n >= 2 and n·m values; got k=" + k + ", m=" + m
          + ", n=" + n + ", " + data.length + " values");
    }
    double[] mean = new double[m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        mean[j] += data[i * m + j];
      }
    }
    for (int j = 0; j < m; j++) {
      mean[j] /= n;
    }
    double[] cov = covariance(data, n, m, mean);
    double[] q = new double[k * m];
    for (int i = 0; i < k; i++) {
      q[i * m + (i * 7919) % m] = 1.0;
      for (int j = 0; j < m; j++) {
        q[i * m + j] += 1e-3 * Math.sin(1.0 + i * 31 + j);
      }
    }
    orthonormalise(q, k, m);
    double[] next = new double[k * m];
    for (int iter = 0; iter < 500; iter++) {
      multiply(cov, q, next, k, m);
      orthonormalise(next, k, m);
      double change = 0;
      for (int t = 0; t < q.length; t++) {
        change = Math.max(change, Math.abs(Math.abs(next[t]) - Math.abs(q[t])));
      }
      System.arraycopy(next, 0, q, 0, q.length);
      if (change < 1e-10) {
        break;
      }
    }
    double[] variances = new double[k];
    multiply(cov, q, next, k, m);
    for (int i = 0; i < k; i++) {
      double v = 0;
      for (int j = 0; j < m; j++) {
        v += q[i * m + j] * next[i * m + j];
      }
      variances[i] = v;
    }
    double total = 0;
    for (int j = 0; j < m; j++) {
      total += cov[j * m + j];
    }
    return new Pca(m, mean, q, variances, total, k);
  }

  private static double[] covariance(float[] data, int n, int m, double[] mean) {
    double[] cov = new double[m * m];
    double[] row = new double[m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        row[j] = data[i * m + j] - mean[j];
      }
      for (int a = 0; a < m; a++) {
        double ra = row[a];
        if (ra == 0) {
          continue;
        }
        int base = a * m;
        for (int b = a; b < m; b++) {
          cov[base + b] += ra * row[b];
        }
      }
    }
    for (int a = 0; a < m; a++) {
      for (int b = a; b < m; b++) {
        double v = cov[a * m + b] / (n - 1);
        cov[a * m + b] = v;
        cov[b * m + a] = v;
      }
    }
    return cov;
  }

  /** out[i] = C q[i] for each of the k rows. */
  private static void multiply(double[] cov, double[] q, double[] out, int k, int m) {
    for (int i = 0; i < k; i++) {
      for (int a = 0; a < m; a++) {
        double s = 0;
        int base = a * m;
        for (int b = 0; b < m; b++) {
          s += cov[base + b] * q[i * m + b];
        }
        out[i * m + a] = s;
      }
    }
  }

  /** Modified Gram-Schmidt on the k rows. */
  private static void orthonormalise(double[] q, int k, int m) {
    for (int i = 0; i < k; i++) {
      for (int p = 0; p < i; p++) {
        double dot = 0;
        for (int j = 0; j < m; j++) {
          dot += q[i * m + j] * q[p * m + j];
        }
        for (int j = 0; j < m; j++) {
          q[i * m + j] -= dot * q[p * m + j];
        }
      }
      double norm = 0;
      for (int j = 0; j < m; j++) {
        norm += q[i * m + j] * q[i * m + j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < m; j++) {
        q[i * m + j] /= norm;
      }
    }
  }

  public int components() {
    return k;
  }

  /** Variance captured by each component, decreasing. */
  public double[] explainedVariance() {
    return variances.clone();
  }

  /** The share of the data's total variance that component i captures. */
  public double explainedFraction(int i) {
    return totalVariance > 0 ? variances[i] / totalVariance : 0.0;
  }

  /** Row i of the component matrix (unit length). */
  public double[] component(int i) {
    double[] c = new double[dimension];
    System.arraycopy(components, i * dimension, c, 0, dimension);
    return c;
  }

  /** Coordinates of n rows on the k components: [n, k] row-major. */
  public double[] project(float[] data, int n) {
    double[] out = new double[n * k];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < k; i++) {
        double s = 0;
        for (int j = 0; j < dimension; j++) {
          s += (data[r * dimension + j] - mean[j]) * components[i * dimension + j];
        }
        out[r * k + i] = s;
      }
    }
    return out;
  }

  /** Coordinates of points given as rows, one row of k coordinates per point. */
  public double[][] project(double[][] rows) {
    double[][] out = new double[rows.length][k];
    for (int r = 0; r < rows.length; r++) {
      for (int i = 0; i < k; i++) {
        double s = 0;
        for (int j = 0; j < dimension; j++) {
          s += (rows[r][j] - mean[j]) * components[i * dimension + j];
        }
        out[r][i] = s;
      }
    }
    return out;
  }

  /** Rows mapped onto the components and back: the PCA reconstruction, [n, m]. */
  public float[] reconstruct(float[] data, int n) {
    double[] codes = project(data, n);
    float[] out = new float[n * dimension];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < dimension; j++) {
        double s = mean[j];
        for (int i = 0; i < k; i++) {
          s += codes[r * k + i] * components[i * dimension + j];
        }
        out[r * dimension + j] = (float) s;
      }
    }
    return out;
  }
}
