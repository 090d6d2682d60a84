package dev.vae.examples.plot;

/**
 * The covariance of a 2-D Gaussian, for example a posterior q(z|x) seen in a latent scatter plot;
 * {@link #ellipse} traces its ±1σ contour around a mean.
 *
 * @param varianceX  the variance along the x axis, finite and {@code >= 0}
 * @param varianceY  the variance along the y axis, finite and {@code >= 0}
 * @param covariance the covariance of x and y, finite
 */
public record Spread(double varianceX, double varianceY, double covariance) {

    /**
     * Checks that the numbers are finite and the variances not negative.
     *
     * @param varianceX  the variance along x
     * @param varianceY  the variance along y
     * @param covariance the covariance of x and y
     */
    public Spread {
        if (!(varianceX >= 0) || !(varianceY >= 0) || !Double.isFinite(varianceX)
                || !Double.isFinite(varianceY) || !Double.isFinite(covariance)) {
            throw new IllegalArgumentException("spread (" + varianceX + ", " + varianceY + ", "
                    + covariance + "); expected finite variances >= 0 and a finite covariance");
        }
    }

    /**
     * The spread of a diagonal Gaussian N(μ, diag σ²) of any dimension seen through two
     * directions, for example the first two principal components: the covariance of
     * {@code (u·z, v·z)} is {@code Σ_j u_j u_j σ²_j}, {@code Σ_j v_j v_j σ²_j} and
     * {@code Σ_j u_j v_j σ²_j}.
     *
     * @param variances σ²_j of each dimension
     * @param u         the x direction, as long as {@code variances}
     * @param v         the y direction, as long as {@code variances}
     * @return the projected spread
     */
    public static Spread projected(double[] variances, double[] u, double[] v) {
        if (u.length != variances.length || v.length != variances.length) {
            throw new IllegalArgumentException("directions of length " + u.length + " and " + v.length
                    + "; expected " + variances.length + ", one entry per dimension");
        }
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int j = 0; j < variances.length; j++) {
            xx += u[j] * u[j] * variances[j];
            yy += v[j] * v[j] * variances[j];
            xy += u[j] * v[j] * variances[j];
        }
        return new Spread(xx, yy, xy);
    }

    /**
     * The ±1σ contour around {@code (x, y)}: the unit circle mapped through the Cholesky factor of
     * the covariance.
     *
     * @param x        the mean's x
     * @param y        the mean's y
     * @param segments the number of straight pieces, at least 3
     * @return {@code segments + 1} x values and as many y values, the last point equal to the first
     */
    public double[][] ellipse(double x, double y, int segments) {
        if (segments < 3) {
            throw new IllegalArgumentException("segments is " + segments + "; expected at least 3");
        }
        double l11 = Math.sqrt(varianceX);
        double l21 = l11 > 0 ? covariance / l11 : 0;
        double l22 = Math.sqrt(Math.max(0, varianceY - l21 * l21));
        double[][] out = new double[2][segments + 1];
        for (int i = 0; i <= segments; i++) {
            double t = 2 * Math.PI * (i % segments) / segments;
            out[0][i] = x + l11 * Math.cos(t);
            out[1][i] = y + l21 * Math.cos(t) + l22 * Math.sin(t);
        }
        return out;
    }
}
