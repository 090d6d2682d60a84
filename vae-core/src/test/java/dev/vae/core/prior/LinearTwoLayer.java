package dev.vae.core.prior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Parameter;
import java.util.List;

/**
 * The generative side the two-layer tests set: z₂ ~ N(0, 1) and z₁ | z₂ ~ N(A z₂ + b, diag s) in two
 * dimensions, so that z₁ ~ N(b, A Aᵀ + diag s).
 */
final class LinearTwoLayer {
  /** p(z₁ | z₂) = N(A z₂ + b, diag s): A, b and s. */
  static final double[] A = {0.8, -0.5};
  static final double[] B = {0.3, -0.2};
  static final double[] S = {0.5, 0.8};

  private LinearTwoLayer() {}

  /** Sets a float64 parameter's values. */
  static void set(Engine engine, Parameter p, double... values) {
    p.replace(engine.backend().fromHost(values, p.shape(), DType.FLOAT64));
  }

  /**
   * Sets p(z₁ | z₂) to N(A z₂ + b, diag s), its linear layer's weight and bias being {@code prior}'s
   * third and fourth parameters, and the linear decoder to x = z₁ · w + c + noise.
   */
  static void setGenerative(Engine engine, List<Parameter> prior, Vae vae, double[] w, double[] c) {
    set(engine, prior.get(2), A[0], A[1], 0, 0);
    set(engine, prior.get(3), B[0], B[1], Math.log(S[0]), Math.log(S[1]));
    set(engine, vae.decoder().parameters().get(0), w);
    set(engine, vae.decoder().parameters().get(1), c);
  }

  /** log N(x; mean, exp(logVariance)). */
  static double logNormal(double x, double mean, double logVariance) {
    double v = Math.exp(logVariance);
    return -0.5 * Math.log(2 * Math.PI * v) - (x - mean) * (x - mean) / (2 * v);
  }

  /** n examples of m values, sin(1.7 i) row-major: data without structure for the layers' checks. */
  static float[] waves(int n, int m) {
    float[] data = new float[n * m];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) Math.sin(1.7 * i);
    }
    return data;
  }

  /** A Aᵀ + diag s. */
  static double[][] marginalCovariance() {
    return new double[][] {{A[0] * A[0] + S[0], A[0] * A[1]}, {A[1] * A[0], A[1] * A[1] + S[1]}};
  }

  /** N(z; b, A Aᵀ + diag s). */
  static double marginalDensity(double[] z) {
    double[][] sigma = marginalCovariance();
    double det = sigma[0][0] * sigma[1][1] - sigma[0][1] * sigma[1][0];
    double[] r = {z[0] - B[0], z[1] - B[1]};
    double quadratic = (r[0] * r[0] * sigma[1][1] - 2 * r[0] * r[1] * sigma[0][1] + r[1] * r[1] * sigma[0][0]) / det;
    return Math.exp(-Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * quadratic);
  }

  /** Asserts that draws of z₁ ([n, 2] row-major, n in the tens of thousands) have the marginal's moments. */
  static void assertMarginalMoments(double[] z) {
    int n = z.length / 2;
    double[] mean = new double[2];
    for (int i = 0; i < n; i++) {
      mean[0] += z[2 * i] / n;
      mean[1] += z[2 * i + 1] / n;
    }
    double[] second = new double[3];
    for (int i = 0; i < n; i++) {
      double a = z[2 * i] - mean[0];
      double b = z[2 * i + 1] - mean[1];
      second[0] += a * a / n;
      second[1] += a * b / n;
      second[2] += b * b / n;
    }
    double[][] sigma = marginalCovariance();
    assertThat(mean[0]).isCloseTo(B[0], within(0.02));
    assertThat(mean[1]).isCloseTo(B[1], within(0.02));
    assertThat(second[0]).as("var z10").isCloseTo(sigma[0][0], within(0.03));
    assertThat(second[1]).as("cov").isCloseTo(sigma[0][1], within(0.03));
    assertThat(second[2]).as("var z11").isCloseTo(sigma[1][1], within(0.03));
  }
}
