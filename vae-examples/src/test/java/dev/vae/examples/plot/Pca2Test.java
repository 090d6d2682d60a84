package dev.vae.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Pca2Test {

    /** An orthonormal basis of R^3 with no ties in magnitude inside any vector. */
    private static final double[] A = {2 / 7.0, 3 / 7.0, 6 / 7.0};
    private static final double[] B = {3 / 7.0, -6 / 7.0, 2 / 7.0};
    private static final double[] C = {6 / 7.0, 2 / 7.0, -3 / 7.0};
    private static final double[] MEAN = {5, -3, 7};

    /**
     * Points mean + t A + s B for t in -10..10 and s in {-1, 0, 1}: a product grid, so the sample
     * covariance has eigenvectors A, B, C with eigenvalues var(t), var(s), 0, known exactly.
     */
    private static double[][] plane() {
        double[][] points = new double[63][3];
        int i = 0;
        for (int t = -10; t <= 10; t++) {
            for (int s = -1; s <= 1; s++) {
                for (int j = 0; j < 3; j++) {
                    points[i][j] = MEAN[j] + t * A[j] + s * B[j];
                }
                i++;
            }
        }
        return points;
    }

    @Test
    void recoversTheKnownPrincipalAxes() {
        Pca2 pca = Pca2.fit(plane());
        assertThat(pca.dimension()).isEqualTo(3);
        assertThat(pca.mean()).containsExactly(MEAN, within(1e-12));
        // The sign convention makes the largest-magnitude coordinate positive: A as is, B flipped.
        assertThat(pca.component(0)).containsExactly(A, within(1e-10));
        assertThat(pca.component(1)).containsExactly(negate(B), within(1e-10));
        // Sum of t^2 over -10..10 is 770, each t three times; s^2 sums to 2 for each of 21 t.
        assertThat(pca.variance(0)).isCloseTo(3 * 770 / 62.0, within(1e-9));
        assertThat(pca.variance(1)).isCloseTo(21 * 2 / 62.0, within(1e-9));
        assertThat(pca.explainedFraction(0)).isCloseTo(2310.0 / (2310 + 42), within(1e-12));
        assertThat(pca.axisLabel(0)).isEqualTo("PC1 (98.2% of variance)");
        assertThat(pca.axisLabel(1)).startsWith("PC2 (");
    }

    @Test
    void projectsOntoTheComponents() {
        Pca2 pca = Pca2.fit(plane());
        double[] point = new double[3];
        for (int j = 0; j < 3; j++) {
            point[j] = MEAN[j] + 2 * A[j] - B[j] + 4 * C[j];
        }
        double[][] projected = pca.project(new double[][] {MEAN, point});
        assertThat(projected[0]).containsExactly(new double[] {0, 0}, within(1e-10));
        // Component 1 is -B, so the -B offset reads +1; the C offset is projected away.
        assertThat(projected[1]).containsExactly(new double[] {2, 1}, within(1e-10));
    }

    @Test
    void floatInputGivesTheSameAxes() {
        double[][] plane = plane();
        float[][] floats = new float[plane.length][3];
        for (int i = 0; i < plane.length; i++) {
            for (int j = 0; j < 3; j++) {
                floats[i][j] = (float) plane[i][j];
            }
        }
        Pca2 pca = Pca2.fit(floats);
        assertThat(pca.component(0)).containsExactly(A, within(1e-5));
        assertThat(pca.project(floats)).hasNumberOfRows(63);
    }

    @Test
    void componentsAreEigenvectorsOfTheCovarianceOfCorrelatedData() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 400;
        int d = 9;
        double[][] mixing = new double[d][d];
        for (double[] row : mixing) {
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextDouble(-1, 1);
            }
        }
        double[][] points = new double[n][d];
        for (double[] p : points) {
            double[] e = new double[d];
            for (int j = 0; j < d; j++) {
                e[j] = rng.nextDouble(-1, 1) * (j + 1);
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    p[a] += mixing[a][b] * e[b];
                }
            }
        }
        Pca2 pca = Pca2.fit(points);
        double[][] cov = covariance(points);
        double trace = 0;
        for (int a = 0; a < d; a++) {
            trace += cov[a][a];
        }
        for (int k = 0; k < 2; k++) {
            double[] v = pca.component(k);
            assertThat(dot(v, v)).isCloseTo(1, within(1e-12));
            double[] cv = times(cov, v);
            for (int a = 0; a < d; a++) {
                assertThat(cv[a]).as("(C v%d)[%d]", k, a).isCloseTo(pca.variance(k) * v[a], within(1e-8 * trace));
            }
        }
        assertThat(dot(pca.component(0), pca.component(1))).isCloseTo(0, within(1e-10));
        assertThat(pca.variance(0)).isGreaterThanOrEqualTo(pca.variance(1));
        // No direction beats the first component: its Rayleigh quotient is the largest eigenvalue.
        for (int trial = 0; trial < 50; trial++) {
            double[] u = new double[d];
            for (int j = 0; j < d; j++) {
                u[j] = rng.nextDouble(-1, 1);
            }
            double quotient = dot(u, times(cov, u)) / dot(u, u);
            assertThat(quotient).isLessThanOrEqualTo(pca.variance(0) * (1 + 1e-12));
        }
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> Pca2.fit(new double[][] {{1, 2}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected at least 2 points");
        assertThatThrownBy(() -> Pca2.fit(new double[][] {{1}, {2}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points[0] has 1 coordinates");
        assertThatThrownBy(() -> Pca2.fit(new double[][] {{1, 2, 3}, {1, 2}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points[1] has 2 coordinates; expected 3");
        assertThatThrownBy(() -> Pca2.fit(new double[][] {{1, 2}, {Double.NaN, 2}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points[1][0] is NaN");
        Pca2 pca = Pca2.fit(plane());
        assertThatThrownBy(() -> pca.project(new double[][] {{1, 2}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points[0] has 2 coordinates; expected 3");
        assertThatThrownBy(() -> pca.component(2)).isInstanceOf(IllegalArgumentException.class);
    }

    private static double[][] covariance(double[][] points) {
        int n = points.length;
        int d = points[0].length;
        double[] mean = new double[d];
        for (double[] p : points) {
            for (int j = 0; j < d; j++) {
                mean[j] += p[j] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] p : points) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] += (p[a] - mean[a]) * (p[b] - mean[b]) / (n - 1);
                }
            }
        }
        return cov;
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[m.length];
        for (int a = 0; a < m.length; a++) {
            out[a] = dot(m[a], v);
        }
        return out;
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int j = 0; j < u.length; j++) {
            s += u[j] * v[j];
        }
        return s;
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = -v[j];
        }
        return out;
    }
}
