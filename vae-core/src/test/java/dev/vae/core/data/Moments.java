package dev.vae.core.data;

/** Sample moments, and their standard errors, for tolerance-from-sample-size checks. */
final class Moments {
  private Moments() {}

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /** Population variance (divisor n). */
  static double variance(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return s / x.length;
  }

  /** Standard error of the sample mean, from the sample's own variance. */
  static double meanError(double[] x) {
    return Math.sqrt(variance(x) / x.length);
  }

  /** Standard error of the sample variance, sqrt((m4 - s^4) / n), from the sample itself. */
  static double varianceError(double[] x) {
    double m = mean(x);
    double s2 = 0;
    double m4 = 0;
    for (double v : x) {
      double d = (v - m) * (v - m);
      s2 += d;
      m4 += d * d;
    }
    s2 /= x.length;
    m4 /= x.length;
    return Math.sqrt((m4 - s2 * s2) / x.length);
  }

  /** Column j of a data set, in double. */
  static double[] column(DataSet d, int j) {
    double[] out = new double[d.size()];
    for (int i = 0; i < d.size(); i++) {
      out[i] = d.get(i, j);
    }
    return out;
  }
}
