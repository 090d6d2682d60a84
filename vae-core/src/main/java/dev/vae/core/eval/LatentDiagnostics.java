package dev.vae.core.eval;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import java.util.Arrays;
import java.util.Locale;

/**
 * How much of the latent space the encoder uses, measured on n examples: the variance over x of the
 * posterior mean E_q[z_j|x] per dimension, the active units (that variance above
 * {@value #ACTIVE_UNIT_THRESHOLD}, Burda et al. 2016), and an estimate of the mutual information
 * I(x; z) under q(x, z) = p_data(x) q(z|x) (Hoffman and Johnson 2016; the estimator of He et al.
 * 2019): I = E_x[−H(q(z|x))] − E_{q(z)}[log q(z)], with the aggregate posterior q(z) approximated
 * by the mixture of the n posteriors. The estimate cannot exceed log n. A collapsed posterior has
 * no active unit and I near 0.
 */
public record LatentDiagnostics(int examples, double[] posteriorMeanVariance, int activeUnits,
    double mutualInformation) {

  /** Cov over x of E_q[z_j | x] above this makes unit j active. */
  public static final double ACTIVE_UNIT_THRESHOLD = 0.01;

  private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

  /** Nothing measured. */
  public static LatentDiagnostics none(int dimension) {
    double[] nan = new double[dimension];
    Arrays.fill(nan, Double.NaN);
    return new LatentDiagnostics(0, nan, -1, Double.NaN);
  }

  public int dimension() {
    return posteriorMeanVariance.length;
  }

  /** Whether anything was measured. */
  public boolean measured() {
    return examples > 0;
  }

  /** One line: active units and I(x; z). */
  public String summary() {
    return summary("z");
  }

  /** One line for the latent layer whose units are named {@code unit} (z, z2…). */
  public String summary(String unit) {
    return String.format(Locale.ROOT, "active units %d of %d (Cov_x E[%s_j|x] > %.2f), I(x; %s) ≈ %.3f nats "
        + "(estimated on %d examples, at most log n = %.2f)", activeUnits, dimension(), unit, ACTIVE_UNIT_THRESHOLD,
        unit, mutualInformation, examples, Math.log(examples));
  }

  /**
   * Encodes the n rows of {@code data} ([n, m] row-major) in batches without gradients and measures
   * them; one draw z ~ q(z|x) per example feeds the mutual-information estimate.
   */
  public static LatentDiagnostics measure(Vae vae, float[] data, int n, int batchSize, Rng rng) {
    Posteriors posteriors = new Posteriors(n, vae.latentDimension());
    try (Engine.NoGrad noGrad = vae.engine().noGrad()) {
      RowBatches.forEach(vae, data, n, batchSize, (start, x) -> posteriors.add(start, vae.encode(x).base(), rng));
    }
    return posteriors.diagnostics();
  }

  /**
   * Collects n posteriors batch by batch, with one draw z ~ q(z|x) from each, for
   * {@link #diagnostics()}: what {@link #measure} and whole-data-set evaluations share.
   */
  public static final class Posteriors {
    private final int n;
    private final int d;
    private final double[] means;
    private final double[] logVariances;
    private final double[] draws;

    public Posteriors(int n, int d) {
      this.n = n;
      this.d = d;
      means = new double[n * d];
      logVariances = new double[n * d];
      draws = new double[n * d];
    }

    /** Adds the posteriors of rows {@code startRow}, … of the data, drawing one z from each. */
    public void add(int startRow, DiagonalGaussianPosterior q, Rng rng) {
      copy(q.mean(), means, startRow * d);
      copy(q.logVariance(), logVariances, startRow * d);
      copy(q.sample(1, rng).z(), draws, startRow * d);
    }

    /** The diagnostics of the n posteriors added. */
    public LatentDiagnostics diagnostics() {
      return of(means, logVariances, draws, n, d);
    }

    private static void copy(Tensor t, double[] into, int offset) {
      double[] values = t.toDoubles();
      System.arraycopy(values, 0, into, offset, values.length);
    }
  }

  /**
   * The diagnostics of n posteriors N(means_i, diag exp(logVariances_i)) with one draw z_i from each,
   * all [n, d] row-major.
   */
  public static LatentDiagnostics of(double[] means, double[] logVariances, double[] draws, int n, int d) {
    if (means.length != n * d || logVariances.length != n * d || draws.length != n * d) {
      throw new IllegalArgumentException("posterior arrays must each hold n·d = " + n + "·" + d + " values, got "
          + means.length + ", " + logVariances.length + " and " + draws.length);
    }
    if (n == 0) {
      return none(d);
    }
    double[] variance = meanVariance(means, n, d);
    int active = (int) Arrays.stream(variance).filter(v -> v > ACTIVE_UNIT_THRESHOLD).count();
    return new LatentDiagnostics(n, variance, active, mutualInformation(means, logVariances, draws, n, d));
  }

  private static double[] meanVariance(double[] means, int n, int d) {
    double[] variance = new double[d];
    for (int j = 0; j < d; j++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += means[i * d + j];
      }
      double mean = sum / n;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        double c = means[i * d + j] - mean;
        squares += c * c;
      }
      variance[j] = squares / n;
    }
    return variance;
  }

  private static double mutualInformation(double[] means, double[] logVariances, double[] draws, int n, int d) {
    double[] inverseVariance = new double[n * d];
    double[] logNormaliser = new double[n];
    for (int i = 0; i < n; i++) {
      double sumLogVariance = 0;
      for (int j = 0; j < d; j++) {
        inverseVariance[i * d + j] = Math.exp(-logVariances[i * d + j]);
        sumLogVariance += logVariances[i * d + j];
      }
      logNormaliser[i] = -0.5 * (d * LOG_TWO_PI + sumLogVariance);
    }
    double[] logDensities = new double[n];
    double information = 0;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double quadratic = 0;
        for (int j = 0; j < d; j++) {
          double diff = draws[i * d + j] - means[k * d + j];
          quadratic += diff * diff * inverseVariance[k * d + j];
        }
        logDensities[k] = logNormaliser[k] - 0.5 * quadratic;
      }
      information += logDensities[i] - logMeanExp(logDensities);
    }
    return information / n;
  }

  /** log((1/n) Σ exp(v)) of n values, shifted by the largest so nothing overflows; −∞ when none is finite. */
  public static double logMeanExp(double[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (double v : values) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum / values.length);
  }
}
