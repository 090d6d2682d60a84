package dev.vae.variants;

/**
 * The variance bound behind delta-VAE's committed rate. For q = N(μ, σ²) and p = N(0, 1) one
 * dimension's KL is ½(σ² − ln σ² − 1) + ½μ² ≥ ½ f(σ²) with f(s) = s − ln s − 1, which falls on
 * (0, 1] from +∞ to 0. So keeping σ² at most the root s_δ &lt; 1 of f(s) = 2δ keeps every
 * dimension's KL at least δ, whatever μ.
 */
public final class CommittedRate {
  private CommittedRate() {}

  /** The largest variance σ² ≤ 1 whose KL floor ½ f(σ²) is at least {@code delta} nats. */
  public static double maxVariance(double delta) {
    if (!(delta >= 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException("delta must be finite and >= 0 nats, got " + delta);
    }
    if (delta == 0) {
      return 1;
    }
    // f(s) − 2δ is decreasing on (0, 1): bisect on ln s, from f's value at ln s = −2δ − 1 (> 2δ) to 0.
    double lo = -2 * delta - 1;
    double hi = 0;
    for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
      double mid = 0.5 * (lo + hi);
      if (Math.exp(mid) - mid - 1 > 2 * delta) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.exp(lo);
  }
}
