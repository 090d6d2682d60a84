package dev.vae.backend.cpu;

/**
 * Log-gamma, digamma and trigamma in double precision (Java has none), and the pieces of softplus
 * and sigmoid that the fused kernels' float32 loops vectorise.
 *
 * <p>Method: the recurrences Γ(x + 1) = x Γ(x), ψ(x + 1) = ψ(x) + 1/x and ψ₁(x + 1) = ψ₁(x) − 1/x²
 * carry the argument to at least 10, where Stirling's series and the asymptotic series of ψ and ψ₁
 * are accurate to a few units in the last place; negative arguments use the reflection formulas
 * with sin(πx) and cot(πx) reduced exactly. Against 35-digit values (mpmath) the error is below
 * 1e-14 (1 + |f(x)|), so relative accuracy is lost only next to the functions' zeros (log-gamma's
 * at 1 and 2 included), well inside the contract suite's tolerance for these functions.
 *
 * <p>Poles and infinities follow scipy: lgamma is +∞ at zero, the negative integers and ±∞;
 * digamma(+0) = −∞, digamma(−0) = +∞, NaN at the negative integers and −∞, digamma(+∞) = +∞;
 * trigamma is +∞ at the poles and 0 at +∞, NaN at −∞.
 */
final class SpecialFunctions {
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
  /** Arguments at least this large go straight to the asymptotic series. */
  private static final double ASYMPTOTIC_FROM = 10.0;

  private SpecialFunctions() {}

  /** log|Γ(x)|. */
  static double lgamma(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (Double.isInfinite(x) || (x <= 0 && x == Math.rint(x))) {
      return Double.POSITIVE_INFINITY;
    }
    if (x < 0) {
      // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
      return Math.log(Math.PI / Math.abs(sinPi(x))) - lgammaPositive(1 - x);
    }
    if (x < 0.5) {
      // Γ(x) = Γ(1 + x) / x keeps tiny x away from an underflowing product.
      return lgammaPositive(1 + x) - Math.log(x);
    }
    return lgammaPositive(x);
  }

  private static double lgammaPositive(double x) {
    if (x >= ASYMPTOTIC_FROM) {
      return stirling(x);
    }
    if (x == 1 || x == 2) {
      return 0;
    }
    double product = 1;
    while (x < ASYMPTOTIC_FROM) {
      product *= x;
      x += 1;
    }
    return stirling(x) - Math.log(product);
  }

  /** Stirling's series for log Γ(x), x ≥ 10, to the term in x^−13. */
  private static double stirling(double x) {
    double r = 1 / x;
    double r2 = r * r;
    double series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680
        - r2 * (1.0 / 1188 - r2 * (691.0 / 360360 - r2 * (1.0 / 156)))))));
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
  }

  /** ψ(x) = d/dx log Γ(x). */
  static double digamma(double x) {
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
      if (x == Math.rint(x)) {
        return Double.NaN;
      }
      // Reflection: ψ(1 − x) − ψ(x) = π cot(πx).
      return digammaPositive(1 - x) - Math.PI * cotPi(x);
    }
    return digammaPositive(x);
  }

  private static double digammaPositive(double x) {
    double result = 0;
    while (x < ASYMPTOTIC_FROM) {
      result -= 1 / x;
      x += 1;
    }
    double r2 = 1 / (x * x);
    // ψ(x) ~ ln x − 1/(2x) − Σ B_2k / (2k x^2k)
    double tail = r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 * (1.0 / 240
        - r2 * (1.0 / 132 - r2 * (691.0 / 32760 - r2 * (1.0 / 12)))))));
    return result + (Math.log(x) - 0.5 / x - tail);
  }

  /** ψ₁(x) = d/dx ψ(x). */
  static double trigamma(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return 0;
    }
    if (x == Double.NEGATIVE_INFINITY) {
      return Double.NaN;
    }
    if (x <= 0 && x == Math.rint(x)) {
      return Double.POSITIVE_INFINITY;
    }
    if (x < 0) {
      // Reflection: ψ₁(1 − x) + ψ₁(x) = π² / sin²(πx).
      double s = sinPi(x);
      return Math.PI * Math.PI / (s * s) - trigammaPositive(1 - x);
    }
    return trigammaPositive(x);
  }

  private static double trigammaPositive(double x) {
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
    return result + (r + 0.5 * r2 + tail);
  }

  /**
   * log1p(u) to float precision for u = e^−|x| in [0, 1], the second term of softplus(x), without a
   * branch or a library call so that the loop over a batch vectorises: log1p(u) = 2 atanh(s) with
   * s = u / (2 + u) ≤ 1/3, whose series to s^15 is exact to 3e−9 relative and has no cancellation
   * as u → 0.
   */
  static double log1pOfExpForFloat(double u) {
    double s = u / (2.0 + u);
    double s2 = s * s;
    return 2 * s * (1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9
        + s2 * (1.0 / 11 + s2 * (1.0 / 13 + s2 * (1.0 / 15))))))));
  }

  /**
   * log1p(u) for u in [0, 1] in float arithmetic alone, within a few ulp: the series of
   * {@link #log1pOfExpForFloat} evaluated in float, which C2 vectorises (the double form needs a
   * float-to-double conversion that it does not). For sums of many terms, where a few ulp of each
   * term vanish in the total; a result that must be exact to the last ulp takes the double form.
   */
  static float log1pOfExpInFloat(float u) {
    float s = u / (2f + u);
    float s2 = s * s;
    return 2 * s * (1 + s2 * (1f / 3 + s2 * (1f / 5 + s2 * (1f / 7 + s2 * (1f / 9 + s2 * (1f / 11
        + s2 * (1f / 13 + s2 * (1f / 15))))))));
  }

  /**
   * sigmoid(x) from u = e^−|x|: 1 / (1 + u) for x ≥ 0 and u / (1 + u) below, which keeps its
   * relative accuracy for very negative x; NaN for NaN. The numerator is max(u, [x ≥ 0]) (u ≤ 1),
   * without a branch, so that loops over it vectorise.
   */
  static float sigmoidFromExp(float x, float u) {
    return Math.max(u, isPositive(x + Float.MIN_VALUE)) / (1f + u);
  }

  /** 2^127: twice over, it takes the smallest non-zero float, 2^−149, past 1. */
  private static final float PAST_ONE = 0x1p127f;

  /**
   * 1 for d &gt; 0 and 0 for d ≤ 0 (NaN for NaN), where d is 0 or at least 2^−149 in magnitude, as
   * a difference of two floats always is: a comparison without a branch, which C2 vectorises.
   */
  static float isPositive(float d) {
    return Math.min(1f, Math.max(0f, d * PAST_ONE * PAST_ONE));
  }

  private static final double LOG2_E = 1.4426950408889634;
  private static final double LN_2 = 0.6931471805599453;

  /**
   * e^y for y ≤ 0 in float, correctly rounded but for rare ties (−∞ gives 0, NaN gives NaN): 2^k e^r
   * with k = round(y / ln 2) and |r| ≤ ln 2 / 2, e^r by its Taylor series to r^8 in double (error
   * below 3e-10) and 2^k from the exponent bits; below −105, where e^y rounds to 0 in float, y is
   * clamped. A few nanoseconds, against 17 for Math.exp on a float.
   */
  static float expOfNonPositive(float y) {
    double x = Math.max(y, -105f);
    double k = Math.rint(x * LOG2_E);
    double r = x - k * LN_2;
    double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
        + r * (1.0 / 5040 + r * (1.0 / 40320))))))));
    return (float) (p * Double.longBitsToDouble((long) (k + 1023) << 52));
  }

  /** {@link #sigmoidFromExp(float, float)} in double. */
  static double sigmoidFromExp(double x, double u) {
    return (x >= 0 ? 1 : u) / (1 + u);
  }

  /** sin(πx) for finite x, reduced exactly to an argument in [−½, ½]. */
  static double sinPi(double x) {
    double r = x - 2 * Math.rint(x / 2);
    if (r > 0.5) {
      r = 1 - r;
    } else if (r < -0.5) {
      r = -1 - r;
    }
    return Math.sin(Math.PI * r);
  }

  /** cot(πx) for finite non-integer x, reduced exactly to an argument in [−½, ½]. */
  static double cotPi(double x) {
    double r = x - Math.rint(x);
    return Math.cos(Math.PI * r) / Math.sin(Math.PI * r);
  }
}
