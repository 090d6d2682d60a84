package dev.vae.likelihoods;

import dev.vae.likelihoods.LikelihoodCase.Setting;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.LaplaceDistribution;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The table of examples that drives {@link LikelihoodContractTest}: one row per likelihood (and
 * per distinct configuration). A new likelihood is covered by adding a row.
 *
 * <p>Reference log-densities are computed here without the plugins' code: from Apache Commons
 * Math's distributions (their own special functions and, for the multivariate Gaussians, an
 * eigendecomposition of the dense covariance), or from closed forms evaluated by a different
 * route (the continuous Bernoulli's constant from λ and 1 − λ with its own series; the negative
 * binomial's gamma ratio as a finite product). Only the parameter transforms (softplus plus a
 * floor, sigmoid) and the layout of the decoder outputs are shared knowledge.
 */
final class LikelihoodTable {
  private LikelihoodTable() {}

  static final double DEFAULT_FLOOR = 1e-3;

  static List<LikelihoodCase> rows() {
    return List.of(
        new LikelihoodCase("gaussian, fixed sigma", "gaussian", "sigma=0.7", normal(1.0), normal(2.0),
            perValue((p, own, x) -> new NormalDistribution(null, p[0], 0.7).logDensity(x)), "finite real",
            new double[] {Double.NaN, Double.POSITIVE_INFINITY},
            List.of(setting("mu=0.4", Domain.real(0.4, 0.7), 0.4)), true, 20000),
        new LikelihoodCase("gaussian, learned sigma", "gaussian", "sigma=learned", normal(1.0), normal(2.0),
            perValue((p, own, x) -> new NormalDistribution(null, p[0],
                softplus(own.get(DiagonalGaussian.SCALE)) + DEFAULT_FLOOR).logDensity(x)), "finite real",
            new double[] {Double.NEGATIVE_INFINITY},
            List.of(new Setting("mu=-0.3, sigma=0.6", new double[] {-0.3},
                Map.of(DiagonalGaussian.SCALE, new double[] {Constraints.positiveInverse(0.6, DEFAULT_FLOOR)}),
                Domain.real(-0.3, 0.6))), true, 20000),
        new LikelihoodCase("gaussian, shared sigma", "gaussian", "sigma=shared,min-sigma=0.01", normal(1.0),
            normal(2.0), perValue((p, own, x) -> new NormalDistribution(null, p[0],
                softplus(own.get(DiagonalGaussian.SCALE)) + 0.01).logDensity(x)), "finite real",
            new double[] {Double.NaN},
            List.of(new Setting("mu=1.5, sigma=2", new double[] {1.5},
                Map.of(DiagonalGaussian.SCALE, new double[] {Constraints.positiveInverse(2.0, 0.01)}),
                Domain.real(1.5, 2.0))), true, 20000),
        new LikelihoodCase("gaussian, sigma from the decoder", "gaussian", "sigma=decoder,min-sigma=0.01", normal(1.0),
            normal(2.0), perValue((p, own, x) -> new NormalDistribution(null, p[0], softplus(p[1]) + 0.01)
                .logDensity(x)), "finite real", new double[] {Double.NaN},
            List.of(setting("mu=0.5, sigma=0.3", Domain.real(0.5, 0.3), 0.5, Constraints.positiveInverse(0.3, 0.01))),
            true, 20000),
        new LikelihoodCase("gaussian, calibrated sigma", "gaussian", "sigma=calibrated,min-sigma=0.05",
            normal(1.0), normal(2.0), LikelihoodTable::calibratedGaussian, "finite real",
            new double[] {Double.NaN}, List.of(), true, 20000),
        new LikelihoodCase("gaussian-full (Cholesky)", "gaussian-full", "", normal(1.0), normal(2.0),
            LikelihoodTable::choleskyGaussian, "finite real", new double[] {Double.NaN},
            List.of(setting("mu=0.2, L=0.9", Domain.real(0.2, 0.9), 0.2, Constraints.positiveInverse(0.9, 1e-3))),
            true, 20000),
        new LikelihoodCase("gaussian-lowrank, rank 2", "gaussian-lowrank", "rank=2", normal(1.0), normal(2.0),
            LikelihoodTable::lowRankGaussian, "finite real", new double[] {Double.POSITIVE_INFINITY},
            List.of(setting("mu=-1, sigma=0.5, w=(0.7,-0.4)", Domain.real(-1, 1.0), -1.0,
                Constraints.positiveInverse(0.5, 1e-3), 0.7, -0.4)), true, 20000),
        new LikelihoodCase("bernoulli", "bernoulli", "", normal(2.0),
            (r, count) -> binary(r, count),
            perValue((p, own, x) -> x == 1 ? -softplus(-p[0]) : -softplus(p[0])), "{0, 1}",
            new double[] {0.5, -1, 2},
            List.of(setting("logit=0.8", new Domain.Discrete(new double[] {0, 1}), 0.8),
                setting("logit=-2", new Domain.Discrete(new double[] {0, 1}), -2.0)), false, 20000),
        new LikelihoodCase("continuous-bernoulli", "continuous-bernoulli", "", LikelihoodTable::continuousBernoulliLogits,
            LikelihoodTable::unitIntervalWithEnds,
            perValue((p, own, x) -> x * p[0] - softplus(p[0]) + continuousBernoulliLogNormaliser(p[0])), "[0, 1]",
            new double[] {-0.01, 1.5},
            List.of(setting("logit=0 (lambda=1/2)", Domain.interval(0, 1), 0.0),
                setting("logit=0.05 (series)", Domain.interval(0, 1), 0.05),
                setting("logit=-0.8", Domain.interval(0, 1), -0.8),
                setting("logit=9", Domain.interval(0, 1), 9.0)), true, 20000),
        new LikelihoodCase("beta", "beta", "", normal(1.5), uniform(0.005, 0.995),
            perValue((p, own, x) -> new BetaDistribution(null, softplus(p[0]) + DEFAULT_FLOOR,
                softplus(p[1]) + DEFAULT_FLOOR).logDensity(x)), "(0, 1), both ends excluded",
            new double[] {0.0, 1.0, -0.2, 1.3},
            List.of(setting("alpha=2.2, beta=3.5", Domain.interval(0, 1), Constraints.positiveInverse(2.2, 1e-3),
                    Constraints.positiveInverse(3.5, 1e-3)),
                setting("alpha=0.6, beta=1.8 (unbounded at 0)", Domain.interval(0, 1),
                    Constraints.positiveInverse(0.6, 1e-3), Constraints.positiveInverse(1.8, 1e-3))), false, 20000),
        new LikelihoodCase("beta, squeezed", "beta", "squeeze=0.01", normal(1.5), LikelihoodTable::unitIntervalWithEnds,
            perValue((p, own, x) -> new BetaDistribution(null, softplus(p[0]) + DEFAULT_FLOOR,
                softplus(p[1]) + DEFAULT_FLOOR).logDensity(0.01 + 0.98 * x) + Math.log(0.98)), "[0, 1]",
            new double[] {-0.01, 1.01}, List.of(), false, 20000),
        new LikelihoodCase("laplace", "laplace", "", normal(1.0), normal(2.0),
            perValue((p, own, x) -> new LaplaceDistribution(null, p[0], softplus(p[1]) + DEFAULT_FLOOR).logDensity(x)),
            "finite real", new double[] {Double.NaN},
            List.of(setting("mu=0.3, b=0.8", Domain.real(0.3, 0.8), 0.3, Constraints.positiveInverse(0.8, 1e-3))),
            true, 20000),
        new LikelihoodCase("student-t, fixed df", "student-t", "df=7", normal(1.0), normal(3.0),
            perValue((p, own, x) -> studentT(x, p[0], softplus(p[1]) + DEFAULT_FLOOR, 7.0)), "finite real",
            new double[] {Double.NaN},
            List.of(setting("mu=-0.5, s=1.3", Domain.real(-0.5, 1.3), -0.5, Constraints.positiveInverse(1.3, 1e-3))),
            true, 20000),
        new LikelihoodCase("student-t, learned df", "student-t", "df=learned,initial-df=9,min-df=0.5", normal(1.0),
            normal(3.0), perValue((p, own, x) -> studentT(x, p[0], softplus(p[1]) + DEFAULT_FLOOR,
                softplus(own.get(StudentT.DF)) + 0.5)), "finite real", new double[] {Double.NaN},
            List.of(new Setting("mu=2, s=0.5, df=9", new double[] {2.0, Constraints.positiveInverse(0.5, 1e-3)},
                Map.of(StudentT.DF, new double[] {Constraints.positiveInverse(9, 0.5)}), Domain.real(2.0, 0.5))),
            true, 20000),
        new LikelihoodCase("categorical256", "categorical256", "", normal(2.0),
            (r, count) -> levels(r, count), LikelihoodTable::categorical, "k/255",
            new double[] {0.5 / 255, 0.3, -1.0 / 255, 256.0 / 255},
            List.of(setting("smooth logits", Domain.integers(0, 255, 1.0 / 255), smoothLogits())), false, 20000),
        new LikelihoodCase("poisson", "poisson", "", normal(2.0), (r, count) -> counts(r, count, 15),
            perValue((p, own, x) -> new PoissonDistribution(null, softplus(p[0]) + 1e-6, 1e-12, 10000000)
                .logProbability((int) x)), "non-negative integers", new double[] {-1, 2.5, Double.NaN},
            List.of(setting("rate=3.7 (inversion)", Domain.integers(0, 80, 1), Constraints.positiveInverse(3.7, 1e-6)),
                setting("rate=42.5 (PTRS)", Domain.integers(0, 200, 1), Constraints.positiveInverse(42.5, 1e-6))),
            false, 20000),
        new LikelihoodCase("negative-binomial", "negative-binomial", "", normal(2.0), (r, count) -> counts(r, count, 15),
            perValue((p, own, x) -> negativeBinomial(x, softplus(p[0]) + 1e-6, softplus(p[1]) + 1e-4)),
            "non-negative integers", new double[] {-1, 0.25},
            List.of(setting("mean=6, r=2.5", Domain.integers(0, 400, 1), Constraints.positiveInverse(6, 1e-6),
                    Constraints.positiveInverse(2.5, 1e-4)),
                setting("mean=20, r=0.7", Domain.integers(0, 2500, 1), Constraints.positiveInverse(20, 1e-6),
                    Constraints.positiveInverse(0.7, 1e-4))), false, 20000));
  }

  // ---- reference densities

  /** The log-density of one value from its k decoder outputs p and the own parameters at its dimension. */
  interface ValueDensity {
    double logDensity(double[] p, Map<String, Double> own, double x);
  }

  /** A reference for likelihoods that factorise over dimensions, with blocks of width m. */
  static LikelihoodCase.Reference perValue(ValueDensity density) {
    return (raw, own, x, m) -> {
      double[] out = new double[x.length];
      int k = raw[0].length / m;
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < m; j++) {
          double[] p = new double[k];
          for (int b = 0; b < k; b++) {
            p[b] = raw[i][b * m + j];
          }
          int dim = j;
          Map<String, Double> ownHere = new java.util.HashMap<>();
          own.forEach((name, values) -> ownHere.put(name, values.length == 1 ? values[0] : values[dim]));
          out[i] += density.logDensity(p, ownHere, x[i][j]);
        }
      }
      return out;
    };
  }

  static double softplus(double v) {
    return v > 30 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
  }

  static double sigmoid(double v) {
    return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
  }

  private static double[] calibratedGaussian(double[][] raw, Map<String, double[]> own, double[][] x, int m) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < m; j++) {
        sum += Math.pow(x[i][j] - raw[i][j], 2);
      }
    }
    double sigma = Math.sqrt(Math.max(sum / (x.length * m), 0.05 * 0.05));
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < m; j++) {
        out[i] += new NormalDistribution(null, raw[i][j], sigma).logDensity(x[i][j]);
      }
    }
    return out;
  }

  private static double[] choleskyGaussian(double[][] raw, Map<String, double[]> own, double[][] x, int m) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double[][] l = new double[m][m];
      for (int r = 0; r < m; r++) {
        l[r][r] = softplus(raw[i][m + r]) + 1e-3;
        for (int c = 0; c < r; c++) {
          l[r][c] = raw[i][2 * m + r * (r - 1) / 2 + c];
        }
      }
      double[][] cov = new double[m][m];
      for (int r = 0; r < m; r++) {
        for (int c = 0; c < m; c++) {
          for (int k = 0; k < m; k++) {
            cov[r][c] += l[r][k] * l[c][k];
          }
        }
      }
      out[i] = Math.log(new MultivariateNormalDistribution(java.util.Arrays.copyOf(raw[i], m), cov).density(x[i]));
    }
    return out;
  }

  private static double[] lowRankGaussian(double[][] raw, Map<String, double[]> own, double[][] x, int m) {
    int rank = raw[0].length / m - 2;
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double[][] cov = new double[m][m];
      double[] sigma = new double[m];
      for (int r = 0; r < m; r++) {
        sigma[r] = softplus(raw[i][m + r]) + 1e-3;
      }
      for (int r = 0; r < m; r++) {
        cov[r][r] += sigma[r] * sigma[r];
        for (int c = 0; c < m; c++) {
          for (int k = 0; k < rank; k++) {
            cov[r][c] += sigma[r] * raw[i][(2 + k) * m + r] * sigma[c] * raw[i][(2 + k) * m + c];
          }
        }
      }
      out[i] = Math.log(new MultivariateNormalDistribution(java.util.Arrays.copyOf(raw[i], m), cov).density(x[i]));
    }
    return out;
  }

  /**
   * log C(λ) of the continuous Bernoulli computed from λ and 1 − λ (not from the logit, as the
   * plugin does): C = log((1 − λ)/λ) / (1 − 2λ), and within 1e-3 of λ = 1/2 its series
   * 2 Σ y^(2k) / (2k + 1) in y = 1 − 2λ.
   */
  static double continuousBernoulliLogNormaliser(double eta) {
    double lambda = sigmoid(eta);
    double oneMinus = sigmoid(-eta);
    double y = oneMinus - lambda;
    if (Math.abs(y) < 1e-3) {
      double y2 = y * y;
      double sum = 0;
      double term = 1;
      for (int k = 0; k < 10; k++) {
        sum += term / (2 * k + 1);
        term *= y2;
      }
      return Math.log(2 * sum);
    }
    return Math.log((Math.log(oneMinus) - Math.log(lambda)) / y);
  }

  private static double studentT(double x, double location, double scale, double df) {
    return new TDistribution(null, df).logDensity((x - location) / scale) - Math.log(scale);
  }

  private static double[] categorical(double[][] raw, Map<String, double[]> own, double[][] x, int m) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < m; j++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 256; k++) {
          max = Math.max(max, raw[i][k * m + j]);
        }
        double sum = 0;
        for (int k = 0; k < 256; k++) {
          sum += Math.exp(raw[i][k * m + j] - max);
        }
        int level = (int) Math.round(x[i][j] * 255);
        out[i] += raw[i][level * m + j] - max - Math.log(sum);
      }
    }
    return out;
  }

  /** Negative binomial with Γ(x + r)/Γ(r) as the product Π (r + j) and x! as a product. */
  private static double negativeBinomial(double x, double mean, double r) {
    double logRatio = 0;
    for (int j = 0; j < x; j++) {
      logRatio += Math.log((r + j) / (j + 1));
    }
    return logRatio + r * Math.log(r / (r + mean)) + x * Math.log(mean / (r + mean));
  }

  // ---- parameter and data samplers

  /** Logits of the 256 levels that vary smoothly with the level, so neighbouring levels share a bin fairly. */
  private static double[] smoothLogits() {
    double[] logits = new double[256];
    for (int k = 0; k < logits.length; k++) {
      logits[k] = -Math.pow((k - 90) / 35.0, 2) + 0.8 * Math.sin(k / 9.0);
    }
    return logits;
  }

  private static Setting setting(String label, Domain domain, double... raw) {
    return new Setting(label, raw, Map.of(), domain);
  }

  private static LikelihoodCase.Draw normal(double scale) {
    return (random, count) -> {
      double[] out = new double[count];
      for (int i = 0; i < count; i++) {
        out[i] = scale * random.nextGaussian();
      }
      return out;
    };
  }

  private static LikelihoodCase.Draw uniform(double from, double to) {
    return (random, count) -> random.doubles(count, from, to).toArray();
  }

  /** Logits from both branches of the continuous Bernoulli's constant, exactly 1/2 included. */
  private static double[] continuousBernoulliLogits(Random random, int count) {
    double[] special = {0.0, 0.003, -0.05, 0.09, -0.2, 4.0, -12.0};
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = i % 2 == 0 ? special[(i / 2) % special.length] : 3 * random.nextGaussian();
    }
    return out;
  }

  private static double[] unitIntervalWithEnds(Random random, int count) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = i % 5 == 0 ? i % 2 : random.nextDouble();
    }
    return out;
  }

  private static double[] binary(Random random, int count) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = random.nextBoolean() ? 1 : 0;
    }
    return out;
  }

  private static double[] levels(Random random, int count) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = random.nextInt(256) / 255.0;
    }
    return out;
  }

  private static double[] counts(Random random, int count, int max) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = random.nextInt(max + 1);
    }
    return out;
  }
}
