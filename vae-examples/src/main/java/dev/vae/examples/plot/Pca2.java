package dev.vae.examples.plot;

import java.util.Locale;

/**
 * The first two principal components of a set of points, for drawing latent codes of more than
 * two dimensions in a plane.
 *
 * <p>{@link #fit} centres the {@code n x d} points, forms their {@code d x d} sample covariance
 * (divisor {@code n - 1}) in double precision and diagonalises it with the cyclic Jacobi method,
 * which is exact to rounding for symmetric matrices and costs {@code O(d^3)} per sweep: meant for
 * latent dimensions (up to a few hundred), not for raw pixels. Each component is a unit vector
 * whose largest-magnitude coordinate is positive, so the same data always gives the same picture.
 */
public final class Pca2 {

    private static final int MAX_SWEEPS = 100;

    private final double[] mean;
    private final double[][] components;
    private final double[] variances;
    private final double totalVariance;

    private Pca2(double[] mean, double[][] components, double[] variances, double totalVariance) {
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.totalVariance = totalVariance;
    }

    /**
     * Finds the first two principal components of the points.
     *
     * @param points {@code n x d} points, {@code n >= 2}, {@code d >= 2}, all rows of length d,
     *               all values finite
     * @return the fitted projection
     */
    public static Pca2 fit(double[][] points) {
        int d = checkPoints(points);
        int n = points.length;
        double[] mean = new double[d];
        for (double[] p : points) {
            for (int j = 0; j < d; j++) {
                mean[j] += p[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (double[] p : points) {
            for (int j = 0; j < d; j++) {
                centred[j] = p[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = centred[a];
                for (int b = a; b < d; b++) {
                    cov[a][b] += ca * centred[b];
                }
            }
        }
        double trace = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
            trace += cov[a][a];
        }
        double[][] vectors = new double[d][d];
        double[] values = jacobi(cov, vectors);
        int first = -1;
        int second = -1;
        for (int k = 0; k < d; k++) {
            if (first < 0 || values[k] > values[first]) {
                second = first;
                first = k;
            } else if (second < 0 || values[k] > values[second]) {
                second = k;
            }
        }
        double[][] components = {column(vectors, first), column(vectors, second)};
        for (double[] c : components) {
            orient(c);
        }
        return new Pca2(mean, components, new double[] {values[first], values[second]}, trace);
    }

    /**
     * Finds the first two principal components of float points (computed in double precision).
     *
     * @param points {@code n x d} points, as for {@link #fit(double[][])}
     * @return the fitted projection
     */
    public static Pca2 fit(float[][] points) {
        return fit(toDouble(points));
    }

    /**
     * @return the mean of the fitted points, length d
     */
    public double[] mean() {
        return mean.clone();
    }

    /**
     * @param k 0 for the first principal component, 1 for the second
     * @return the unit direction of component {@code k}, length d
     */
    public double[] component(int k) {
        return components[checkK(k)].clone();
    }

    /**
     * @param k 0 or 1
     * @return the sample variance of the fitted points along component {@code k}
     *     (the covariance eigenvalue)
     */
    public double variance(int k) {
        return variances[checkK(k)];
    }

    /**
     * @param k 0 or 1
     * @return the fraction of the total variance that component {@code k} explains, in [0, 1];
     *     0 when the points do not vary at all
     */
    public double explainedFraction(int k) {
        return totalVariance > 0 ? variances[checkK(k)] / totalVariance : 0.0;
    }

    /**
     * An axis label for component {@code k}, such as {@code "PC1 (62.5% of variance)"}.
     *
     * @param k 0 or 1
     * @return the label
     */
    public String axisLabel(int k) {
        return String.format(Locale.ROOT, "PC%d (%.1f%% of variance)", checkK(k) + 1,
                100 * explainedFraction(k));
    }

    /** @return the dimension d of the fitted points */
    public int dimension() {
        return mean.length;
    }

    /**
     * Projects points onto the two components: row {@code i} of the result is
     * {@code (c0 . (x_i - mean), c1 . (x_i - mean))}.
     *
     * @param points {@code m x d} points with the fitted dimension
     * @return {@code m x 2} coordinates
     */
    public double[][] project(double[][] points) {
        if (points == null) {
            throw new IllegalArgumentException("points is null; expected an m x " + mean.length
                    + " array");
        }
        double[][] out = new double[points.length][2];
        for (int i = 0; i < points.length; i++) {
            double[] p = points[i];
            if (p == null || p.length != mean.length) {
                throw new IllegalArgumentException("points[" + i + "] has "
                        + (p == null ? "no" : String.valueOf(p.length))
                        + " coordinates; expected " + mean.length + ", the dimension the PCA was fitted on");
            }
            for (int k = 0; k < 2; k++) {
                double s = 0;
                for (int j = 0; j < p.length; j++) {
                    s += components[k][j] * (p[j] - mean[j]);
                }
                out[i][k] = s;
            }
        }
        return out;
    }

    /**
     * Projects float points onto the two components.
     *
     * @param points {@code m x d} points with the fitted dimension
     * @return {@code m x 2} coordinates
     */
    public double[][] project(float[][] points) {
        return project(toDouble(points));
    }

    /**
     * Diagonalises the symmetric matrix {@code a} in place with cyclic Jacobi rotations.
     * On return {@code v}'s columns are the eigenvectors; the result holds the eigenvalues.
     */
    private static double[] jacobi(double[][] a, double[][] v) {
        int d = a.length;
        for (int i = 0; i < d; i++) {
            v[i][i] = 1.0;
        }
        double scale = 0;
        for (double[] row : a) {
            for (double x : row) {
                scale += x * x;
            }
        }
        double tolerance = 1e-30 * scale;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= tolerance) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    double apq = a[p][q];
                    if (apq == 0.0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0.0) {
                        t = 1.0;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < d; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < d; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[d];
        for (int i = 0; i < d; i++) {
            values[i] = a[i][i];
        }
        return values;
    }

    private static double[] column(double[][] m, int k) {
        double[] c = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i][k];
        }
        return c;
    }

    /** Flips the vector so that its largest-magnitude coordinate (the first such) is positive. */
    private static void orient(double[] c) {
        int big = 0;
        for (int i = 1; i < c.length; i++) {
            if (Math.abs(c[i]) > Math.abs(c[big])) {
                big = i;
            }
        }
        if (c[big] < 0) {
            for (int i = 0; i < c.length; i++) {
                c[i] = -c[i];
            }
        }
    }

    private static int checkPoints(double[][] points) {
        if (points == null || points.length < 2) {
            throw new IllegalArgumentException("points has "
                    + (points == null ? "no" : String.valueOf(points.length))
                    + " rows; expected at least 2 points to find principal components");
        }
        if (points[0] == null || points[0].length < 2) {
            throw new IllegalArgumentException("points[0] has "
                    + (points[0] == null ? "no" : String.valueOf(points[0].length))
                    + " coordinates; expected at least 2 (2-D points need no projection, but are accepted)");
        }
        int d = points[0].length;
        for (int i = 0; i < points.length; i++) {
            double[] p = points[i];
            if (p == null || p.length != d) {
                throw new IllegalArgumentException("points[" + i + "] has "
                        + (p == null ? "no" : String.valueOf(p.length))
                        + " coordinates; expected " + d + " like points[0]");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(p[j])) {
                    throw new IllegalArgumentException("points[" + i + "][" + j + "] is " + p[j]
                            + "; expected a finite value");
                }
            }
        }
        return d;
    }

    private static double[][] toDouble(float[][] points) {
        if (points == null) {
            return null;
        }
        double[][] out = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            float[] p = points[i];
            if (p != null) {
                out[i] = new double[p.length];
                for (int j = 0; j < p.length; j++) {
                    out[i][j] = p[j];
                }
            }
        }
        return out;
    }

    private static int checkK(int k) {
        if (k != 0 && k != 1) {
            throw new IllegalArgumentException("component " + k + "; expected 0 or 1");
        }
        return k;
    }
}
