package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Orthogonal Procrustes against a known rotation, against the closed-form optimum in two
 * dimensions, and against small turns of its answer, which never fit better.
 */
class ProcrustesTest {
  private static double[][] gaussian(int rows, int cols, Random random) {
    double[][] x = new double[rows][cols];
    for (double[] row : x) {
      for (int k = 0; k < cols; k++) {
        row[k] = random.nextGaussian();
      }
    }
    return x;
  }

  /** The plane rotation by {@code angle} in coordinates (p, q) of R^d, applied on the right of x. */
  private static double[][] turn(double[][] x, int p, int q, double angle) {
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
      out[i][p] = c * x[i][p] + s * x[i][q];
      out[i][q] = -s * x[i][p] + c * x[i][q];
    }
    return out;
  }

  private static double residual(double[][] a, double[][] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a[i].length; k++) {
        sum += (a[i][k] - b[i][k]) * (a[i][k] - b[i][k]);
      }
    }
    return Math.sqrt(sum);
  }

  @Test
  void recoversAKnownRotationExactly() {
    double[][] a = gaussian(10, 4, new Random(1));
    double[][] known = turn(turn(turn(identity(4), 0, 1, 0.7), 1, 3, -1.2), 2, 0, 2.5);
    double[][] b = multiply(a, known);
    Procrustes fit = Procrustes.fit(a, b);
    assertThat(residual(fit.rotation(), known)).isLessThan(1e-10);
    assertThat(fit.relativeResidual()).isLessThan(1e-12);
    assertThat(fit.orthogonalityError()).isLessThan(1e-12);
    assertThat(fit.signedPermutationDistance()).as("a generic rotation is far from a signed permutation")
        .isGreaterThan(0.5);
  }

  @Test
  void inTwoDimensionsMatchesTheClosedFormBestRotationOrReflection() {
    Random random = new Random(2);
    double[][] a = gaussian(6, 2, random);
    double[][] b = gaussian(6, 2, random);
    double[][] m = multiply(transpose(a), b);
    // tr(RᵀM) is what R maximises: c(M11 + M22) + s(M21 − M12) over rotations, c(M11 − M22) + s(M12 + M21)
    // over reflections; each maximum is the length of its (cos, sin) coefficients.
    double rotation = Math.hypot(m[0][0] + m[1][1], m[1][0] - m[0][1]);
    double reflection = Math.hypot(m[0][0] - m[1][1], m[0][1] + m[1][0]);
    double angle = rotation >= reflection ? Math.atan2(m[1][0] - m[0][1], m[0][0] + m[1][1])
        : Math.atan2(m[0][1] + m[1][0], m[0][0] - m[1][1]);
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double[][] expected = rotation >= reflection ? new double[][] {{c, -s}, {s, c}} : new double[][] {{c, s}, {s, -c}};
    assertThat(residual(Procrustes.fit(a, b).rotation(), expected)).isLessThan(1e-12);
  }

  @Test
  void noSmallTurnOfTheAnswerFitsBetter() {
    Random random = new Random(3);
    double[][] a = gaussian(12, 4, random);
    double[][] b = gaussian(12, 4, random);
    Procrustes fit = Procrustes.fit(a, b);
    double best = residual(fit.rotate(a), b);
    for (int p = 0; p < 4; p++) {
      for (int q = p + 1; q < 4; q++) {
        for (double angle : new double[] {-1e-3, 1e-3, -0.1, 0.1}) {
          assertThat(residual(turn(fit.rotate(a), p, q, angle), b)).isGreaterThan(best);
        }
      }
    }
  }

  @Test
  void aSignedPermutationIsRecognised() {
    double[][] a = gaussian(8, 3, new Random(4));
    double[][] permuted = new double[8][];
    for (int i = 0; i < 8; i++) {
      permuted[i] = new double[] {-a[i][2], a[i][0], a[i][1]};
    }
    Procrustes fit = Procrustes.fit(a, permuted);
    assertThat(fit.signedPermutationDistance()).isLessThan(1e-10);
    assertThat(fit.rotation()[2][0]).isCloseTo(-1, within(1e-10));
  }

  @Test
  void aSingularCrossProductHasNoSingleAnswer() {
    double[][] a = {{1, 0}, {0, 0}, {0, 0}};
    assertThatThrownBy(() -> Procrustes.fit(a, a)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("singular");
  }

  private static double[][] identity(int d) {
    double[][] x = new double[d][d];
    for (int i = 0; i < d; i++) {
      x[i][i] = 1;
    }
    return x;
  }

  private static double[][] transpose(double[][] x) {
    double[][] t = new double[x[0].length][x.length];
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < x[0].length; k++) {
        t[k][i] = x[i][k];
      }
    }
    return t;
  }

  private static double[][] multiply(double[][] x, double[][] y) {
    double[][] out = new double[x.length][y[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int t = 0; t < y.length; t++) {
        for (int k = 0; k < y[0].length; k++) {
          out[i][k] += x[i][t] * y[t][k];
        }
      }
    }
    return out;
  }
}
