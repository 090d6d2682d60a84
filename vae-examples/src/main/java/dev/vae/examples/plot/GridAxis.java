package dev.vae.examples.plot;

import java.util.Objects;

/**
 * One axis of a latent-space grid: its name (for example {@code "z1"}) and the range it spans.
 * Grid points are spread evenly over {@code [min, max]}, both ends included.
 *
 * @param name what the axis measures, shown next to its values in the picture
 * @param min  the smallest value on the axis
 * @param max  the largest value on the axis, greater than {@code min}
 */
public record GridAxis(String name, double min, double max) {

    /**
     * Checks that the name is present and the range is finite and non-empty.
     *
     * @param name what the axis measures
     * @param min  the smallest value
     * @param max  the largest value, greater than {@code min}
     */
    public GridAxis {
        Objects.requireNonNull(name, "name");
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("axis " + name + " has range [" + min + ", " + max
                    + "]; expected finite bounds with min < max");
        }
    }

    /**
     * The value of grid point {@code i} out of {@code n} evenly spaced points from {@code min} to
     * {@code max}; a single point sits in the middle of the range.
     *
     * @param i the index, {@code 0 <= i < n}
     * @param n the number of points, at least 1
     * @return the value at that point
     */
    public double point(int i, int n) {
        if (n < 1 || i < 0 || i >= n) {
            throw new IllegalArgumentException("grid point " + i + " of " + n
                    + " on axis " + name + "; expected n >= 1 and 0 <= i < n");
        }
        if (n == 1) {
            return 0.5 * (min + max);
        }
        return min + (max - min) * i / (n - 1);
    }

    /**
     * All {@code n} grid points in increasing order.
     *
     * @param n the number of points, at least 1
     * @return {@code point(0, n), ..., point(n - 1, n)}
     */
    public double[] points(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("axis " + name + " asked for " + n
                    + " grid points; expected at least 1");
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = point(i, n);
        }
        return values;
    }
}
