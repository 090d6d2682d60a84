package dev.vae.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Parameter;
import dev.vae.core.train.UnitGaussianLikelihood;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The amortisation gap on a linear Gaussian decoder, whose true posterior, exact log p(x) and best
 * diagonal Gaussian posterior are known in closed form: x = A z + b + ε, z ~ N(0, I), ε ~ N(0, I).
 * The posterior's precision is Λ = I + AᵀA; the best factorised q has the posterior's mean and
 * variances 1/Λ_jj, and its ELBO falls short of log p(x) by ½ (Σ_j log Λ_jj − log det Λ).
 */
class AmortisationGapTest {
  private static final int M = 4;
  private static final int D = 2;
  private final Engine engine = new Engine(new ReferenceBackend());

  @Test
  void theOptimisedPosteriorReachesTheBestDiagonalGaussianAndTheGapsSplitTheBound() {
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden().latent(D)
        .dtype(DType.FLOAT64).seed(3).build()) {
      List<Parameter> decoder = vae.decoder().parameters();
      // Two nearly parallel directions: a posterior with strongly correlated coordinates, which a
      // diagonal Gaussian cannot follow (the best one's gap is 0.71 nats).
      double[] weight = {2.0, 1.0, 0.5, 1.5, 1.8, 0.9, 0.6, 1.4}; // [D, M]: mean = z · weight + bias
      decoder.get(0).replace(engine.backend().fromHost(weight, decoder.get(0).shape(), DType.FLOAT64));
      double[] bias = decoder.get(1).toDoubles();
      double[][] a = new double[M][D];
      for (int i = 0; i < M; i++) {
        for (int j = 0; j < D; j++) {
          a[i][j] = weight[j * M + i];
        }
      }
      Random random = new Random(4);
      int n = 7; // batches of three: the last one partial
      float[] data = new float[n * M];
      for (int k = 0; k < data.length; k++) {
        data[k] = (float) (2 * random.nextGaussian());
      }
      // 120 codes at once: the examples are optimised three at a time (3 · 20 draws, doubled for the gradient),
      // and measured 40 draws at a time, the last chunk of the 4010 shorter.
      long live = ((ReferenceBackend) engine.backend()).liveArrays();
      AmortisationGap.Result result = AmortisationGap.measure(vae, data, n,
          new AmortisationGap.Settings(600, 20, 0.05, 4010, 4000, 120), new Rng(5));

      double[][] lambda = new double[D][D];
      for (int p = 0; p < D; p++) {
        for (int q = 0; q < D; q++) {
          double sum = p == q ? 1 : 0;
          for (int i = 0; i < M; i++) {
            sum += a[i][p] * a[i][q];
          }
          lambda[p][q] = sum;
        }
      }
      double det = lambda[0][0] * lambda[1][1] - lambda[0][1] * lambda[1][0];
      double[][] inverse = {{lambda[1][1] / det, -lambda[0][1] / det}, {-lambda[1][0] / det, lambda[0][0] / det}};
      double exact = 0;
      for (int e = 0; e < n; e++) {
        double[] r = new double[M];
        double rr = 0;
        double[] atr = new double[D];
        for (int i = 0; i < M; i++) {
          r[i] = data[e * M + i] - bias[i];
          rr += r[i] * r[i];
          for (int j = 0; j < D; j++) {
            atr[j] += a[i][j] * r[i];
          }
        }
        double quadratic = rr;
        for (int p = 0; p < D; p++) {
          for (int q = 0; q < D; q++) {
            quadratic -= atr[p] * inverse[p][q] * atr[q];
          }
        }
        exact += -0.5 * (M * Math.log(2 * Math.PI) + Math.log(det) + quadratic);
      }
      exact /= n;
      double bestGap = 0.5 * (Math.log(lambda[0][0]) + Math.log(lambda[1][1]) - Math.log(det));

      assertThat(bestGap).as("the test's own premise").isGreaterThan(0.5);
      assertThat(result.examples()).isEqualTo(n);
      assertThat(result.optimisedElbo()).as("the best diagonal Gaussian's ELBO").isCloseTo(exact - bestGap,
          within(0.06));
      // Importance sampling from a diagonal proposal underestimates log p(x) of a correlated posterior a little.
      assertThat(result.logLikelihood()).as("importance-sampled log p(x)").isBetween(exact - 0.2, exact + 0.02);
      assertThat(result.amortisationGap()).as("an untrained encoder is far from each example's best q")
          .isGreaterThan(1.0);
      assertThat(result.elboByStep()).hasSize(600);
      assertThat(result.elboByStep()[599]).isGreaterThan(result.elboByStep()[0]);
      assertThat(result.summary()).contains("approximation gap", "amortisation gap");
      assertThat(((ReferenceBackend) engine.backend()).liveArrays()).as("every array freed").isEqualTo(live);
    }
  }

  @Test
  void settingsThatCannotWorkAreRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new AmortisationGap.Settings(0, 10, 0.01, 100, 1000, 100))
        .withMessageContaining("at least 1");
    assertThatIllegalArgumentException().isThrownBy(() -> new AmortisationGap.Settings(10, 10, Double.NaN, 100, 1000,
        100))
        .withMessageContaining("learning rate");
  }
}
