package dev.vae.core.data;

import java.util.Arrays;

/**
 * Per-feature centring and scaling, x' = (x - mean) / std, with mean and std fitted on training
 * data and then applied unchanged to validation and test data. A constant feature (std 0) is only
 * centred.
 *
 * @param means the mean of each feature
 * @param stds the (population) standard deviation of each feature, 1 where it was 0
 */
public record Standardization(double[] means, double[] stds) {
  /** Checks and copies the parameters. */
  public Standardization {
    if (means.length != stds.length) {
      throw new IllegalArgumentException(
          means.length + " means but " + stds.length + " standard deviations");
    }
    means = means.clone();
    stds = stds.clone();
    for (int j = 0; j < stds.length; j++) {
      if (!(stds[j] > 0) || Double.isInfinite(stds[j]) || !Double.isFinite(means[j])) {
        throw new IllegalArgumentException(
            "feature " + j + ": mean " + means[j] + " and std " + stds[j]
                + "; a standardisation needs finite means and positive finite stds");
      }
    }
  }

  /** Fits means and standard deviations (divisor n), in double precision, on {@code data}. */
  public static Standardization fit(DataSet data) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("cannot fit a standardisation on the empty '" + data.name() + "'");
    }
    int m = data.features();
    double[] mean = data.featureMeans();
    double[] var = new double[m];
    float[] v = data.values();
    for (int i = 0; i < data.size(); i++) {
      for (int j = 0; j < m; j++) {
        double d = v[i * m + j] - mean[j];
        var[j] += d * d;
      }
    }
    double[] std = new double[m];
    for (int j = 0; j < m; j++) {
      double s = Math.sqrt(var[j] / data.size());
      std[j] = s > 0 ? s : 1;
    }
    return new Standardization(mean, std);
  }

  /** A copy of means. */
  @Override
  public double[] means() {
    return means.clone();
  }

  /** A copy of stds. */
  @Override
  public double[] stds() {
    return stds.clone();
  }

  /** The number of features it applies to. */
  public int features() {
    return means.length;
  }

  /** Standardises every example of {@code data}, keeping its labels, name and image shape. */
  public DataSet apply(DataSet data) {
    if (data.features() != means.length) {
      throw new IllegalArgumentException(
          "standardisation fitted on " + means.length + " features applied to '" + data.name()
              + "' with " + data.features());
    }
    float[] v = data.values();
    float[] out = new float[v.length];
    int m = means.length;
    for (int i = 0; i < v.length; i++) {
      int j = i % m;
      out[i] = (float) ((v[i] - means[j]) / stds[j]);
    }
    return data.withValues(out);
  }

  /** Maps standardised values of one example back to the original scale, in place. */
  public void invert(float[] example) {
    if (example.length != means.length) {
      throw new IllegalArgumentException(
          "an example of " + example.length + " values for a standardisation of " + means.length);
    }
    for (int j = 0; j < example.length; j++) {
      example[j] = (float) (example[j] * stds[j] + means[j]);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Standardization s && Arrays.equals(means, s.means) && Arrays.equals(stds, s.stds);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(means) + Arrays.hashCode(stds);
  }

  @Override
  public String toString() {
    return "Standardization(means=" + Arrays.toString(means) + ", stds=" + Arrays.toString(stds) + ")";
  }
}
