package dev.vae.examples.plot;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named sequence of values for a line chart, for example the validation ELBO of each epoch.
 * NaN and infinite entries mark missing values (an epoch without validation, a diverged step):
 * charts skip them and join the finite neighbours.
 *
 * @param name   the legend entry, not blank
 * @param values the values; the record keeps its own copy
 */
public record Series(String name, double[] values) {

    /**
     * Checks the name and copies the values.
     *
     * @param name   the legend entry, not blank
     * @param values the values, NaN where missing
     */
    public Series {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("series name is " + (name == null ? "null" : "blank")
                    + "; expected a legend entry");
        }
        if (values == null) {
            throw new IllegalArgumentException("series " + name + " has no values array; expected one"
                    + " (use NaN for missing entries)");
        }
        values = values.clone();
    }

    /**
     * A series from float values.
     *
     * @param name   the legend entry
     * @param values the values
     * @return the series
     */
    public static Series of(String name, float[] values) {
        if (values == null) {
            return new Series(name, null);
        }
        double[] copy = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            copy[i] = values[i];
        }
        return new Series(name, copy);
    }

    /** @return a copy of the values */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** @return the number of values, finite or not */
    public int length() {
        return values.length;
    }

    /** @return how many values are finite */
    public int finiteCount() {
        int count = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                count++;
            }
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && name.equals(s.name) && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "Series[" + name + ", " + values.length + " values]";
    }

    double at(int i) {
        return values[i];
    }
}
