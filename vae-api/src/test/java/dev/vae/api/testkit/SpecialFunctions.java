package dev.vae.api.testkit;

/**
 * Log-gamma, digamma and trigamma in double precision, written for accuracy and clarity rather
 * than speed: the values the {@link ReferenceBackend} (and so every backend) is held to.
 *
 * <p>Methods: for log-gamma, Taylor series in ζ(k) around 1 and 2 (its zeros, so relative accuracy
 * holds there), reached from below 12 by the downward recurrence, and Stirling's series from 12 on;
 * for digamma and trigamma, the upward recurrence to 12 followed by their asymptotic series; the
 * reflection formulas for negative non-integers. Against 40-digit values the relative error is
 * below 1e-15 for positive arguments; next to a zero of the result it is absolute instead, about
 * 2e-15 at digamma's zero 1.4616… and up to 2e-13 at the zeros for negative arguments.
 *
 * <p>Conventions at poles and infinities. Zero and the negative integers are poles, and −∞ counts as
 * one of them (every double below −2^52 is an integer):
 * <ul>
 *   <li>lgamma(x) = log|Γ(x)| is +∞ at every pole and at +∞ (as C99's {@code lgamma}; scipy's
 *       {@code gammaln} differs only at −∞, where it gives −∞).
 *   <li>digamma(+0) = −∞ and digamma(−0) = +∞ (the sign of zero picks the side); NaN at the
 *       negative integers and −∞; digamma(+∞) = +∞ (as scipy's {@code psi}).
 *   <li>trigamma is +∞ at every pole (a double pole, +∞ from both sides) and 0 at +∞ (as scipy's
 *       {@code polygamma(1, x)}).
 *   <li>NaN gives NaN.
 * </ul>
 */
public final class SpecialFunctions {
  /** The Euler–Mascheroni constant γ = −digamma(1). */
  public static final double EULER_GAMMA = 0.5772156649015329;

  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
  /** Arguments at least this large go straight to the asymptotic series. */
  private static final double ASYMPTOTIC_FROM = 12.0;
  private static final int SERIES_TERMS = 60;
  /** ZETA_MINUS_ONE[k] = ζ(k) − 1 for k = 2 .. SERIES_TERMS. */
  private static final double[] ZETA_MINUS_ONE = zetaMinusOneTable(SERIES_TERMS);

  private SpecialFunctions() {}

  /** log|Γ(x)|. */
  public static double lgamma(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (Double.isInfinite(x) || (x <= 0 && x == Math.floor(x))) {
      return Double.POSITIVE_INFINITY;
    }
    if (x < 0) {
      // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
      return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
    }
    if (x == 1 || x == 2) {
      return 0;
    }
    if (x < 0.5) {
      return lgamma1p(x) - Math.log(x);
    }
    if (x < 1.25) {
      return lgamma1p(x - 1);
    }
    if (x < ASYMPTOTIC_FROM) {
      // Γ(x) = (x − 1)(x − 2) ... (x − n) Γ(x − n), down into the series' range: no cancellation.
      double product = 1;
      while (x > 2.75) {
        x -= 1;
        product *= x;
      }
      return lgammaAround2(x - 2) + Math.log(product);
    }
    return stirling(x);
  }

  /** ψ(x) = d/dx log Γ(x). */
  public static double digamma(double x) {
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      return x;
    }
    if (x == Double.NEGATIVE_INFINITY) {
      return Double.NaN;
    }
    if (x == 0) {
      return Math.copySign(Double.POSITIVE_INFINITY, -x);
    }
    if (x < 0) {
      if (x == Math.floor(x)) {
        return Double.NaN;
      }
      // Reflection: ψ(1 − x) − ψ(x) = π cot(πx).
      return digamma(1 - x) - Math.PI * cotPi(x);
    }
    double result = 0;
    while (x < ASYMPTOTIC_FROM) {
      result -= 1 / x;
      x += 1;
    }
    double r2 = 1 / (x * x);
    // ψ(x) ~ ln x − 1/(2x) − Σ B_2k / (2k x^2k)
    double tail = r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 * (1.0 / 240
        - r2 * (1.0 / 132 - r2 * (691.0 / 32760 - r2 * (1.0 / 12)))))));
    return result + Math.log(x) - 0.5 / x - tail;
  }

  /** ψ₁(x) = d/dx ψ(x). */
  public static double trigamma(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return 0;
    }
    if (x <= 0 && x == Math.floor(x)) {
      return Double.POSITIVE_INFINITY;
    }
    if (x < 0) {
      // Reflection: ψ₁(1 − x) + ψ₁(x) = π² / sin²(πx).
      double s = sinPi(x);
      return Math.PI * Math.PI / (s * s) - trigamma(1 - x);
    }
    double result = 0;
    while (x < ASYMPTOTIC_FROM) {
      result += 1 / (x * x);
      x += 1;
    }
    double r = 1 / x;
    double r2 = r * r;
    // ψ₁(x) ~ 1/x + 1/(2x²) + Σ B_2k / x^(2k+1)
    double tail = r * r2 * (1.0 / 6 - r2 * (1.0 / 30 - r2 * (1.0 / 42 - r2 * (1.0 / 30
        - r2 * (5.0 / 66 - r2 * (691.0 / 2730 - r2 * (7.0 / 6)))))));
    return result + r + 0.5 * r2 + tail;
  }

  /** sin(πx), with the argument reduced exactly so that large x and integers are exact. */
  static double sinPi(double x) {
    double sign = 1;
    if (x < 0) {
      x = -x;
      sign = -1;
    }
    double r = x % 2.0;
    if (r >= 1) {
      r -= 1;
      sign = -sign;
    }
    if (r > 0.5) {
      r = 1 - r;
    }
    return sign * Math.sin(Math.PI * r);
  }

  /** cot(πx) for non-integer x, reduced exactly to (−½, ½]. */
  private static double cotPi(double x) {
    double r = x - Math.floor(x);
    double sign = 1;
    if (r > 0.5) {
      r = 1 - r;
      sign = -1;
    }
    return sign * Math.cos(Math.PI * r) / Math.sin(Math.PI * r);
  }

  /** log Γ(1 + z) = −γz + Σ_{k≥2} (−1)^k ζ(k) z^k / k, for |z| ≤ ½. */
  private static double lgamma1p(double z) {
    double p = 0;
    for (int k = SERIES_TERMS; k >= 2; k--) {
      double c = (1 + ZETA_MINUS_ONE[k]) / k;
      p = p * z + ((k & 1) == 0 ? c : -c);
    }
    return z * (-EULER_GAMMA + z * p);
  }

  /** log Γ(2 + z) = (1 − γ)z + Σ_{k≥2} (−1)^k (ζ(k) − 1) z^k / k, for |z| ≤ ¾. */
  private static double lgammaAround2(double z) {
    double p = 0;
    for (int k = SERIES_TERMS; k >= 2; k--) {
      double c = ZETA_MINUS_ONE[k] / k;
      p = p * z + ((k & 1) == 0 ? c : -c);
    }
    return z * ((1 - EULER_GAMMA) + z * p);
  }

  /** Stirling's series for log Γ(x), x ≥ 12. */
  private static double stirling(double x) {
    double r = 1 / x;
    double r2 = r * r;
    double series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680
        - r2 * (1.0 / 1188 - r2 * (691.0 / 360360 - r2 * (1.0 / 156 - r2 * (3617.0 / 122400))))))));
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
  }

  /**
   * ζ(k) − 1 = Σ_{n≥2} n^−k: the first terms summed directly, the rest by Euler–Maclaurin from
   * n = 20 (error below 1e-17 for every k ≥ 2).
   */
  private static double[] zetaMinusOneTable(int maxK) {
    double[] table = new double[maxK + 1];
    int n0 = 20;
    for (int k = 2; k <= maxK; k++) {
      double s = k;
      double head = 0;
      for (int n = n0 - 1; n >= 2; n--) {
        head += Math.pow(n, -s);
      }
      double f = Math.pow(n0, -s);
      // Σ_{n≥N} n^-s = N^(1-s)/(s-1) + N^-s/2 + Σ_j B_2j/(2j)! s(s+1)..(s+2j-2) N^(-s-2j+1)
      double tail = n0 * f / (s - 1) + f / 2;
      double[] bernoulliOverFactorial = {1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1209600, 1.0 / 47900160};
      double rising = s;
      double power = f / n0;
      for (int j = 0; j < bernoulliOverFactorial.length; j++) {
        tail += bernoulliOverFactorial[j] * rising * power;
        rising *= (s + 2 * j + 1) * (s + 2 * j + 2);
        power /= (double) n0 * n0;
      }
      table[k] = head + tail;
    }
    return table;
  }
}
