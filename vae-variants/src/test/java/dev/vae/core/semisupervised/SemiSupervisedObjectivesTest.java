package dev.vae.core.semisupervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Activation;
import dev.vae.core.plugin.LikelihoodRegistry;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The labelled and unlabelled objectives of M2 on a tiny network, against the same quantities
 * computed by hand in double arithmetic ({@link HandNetwork}) with the same noise ε.
 */
class SemiSupervisedObjectivesTest {
  private static final int M = 4;
  private static final int K = 3;
  private static final int D = 2;
  private static final int N = 2;
  private static final double[][] X = {{1, 0, 1, 1}, {0, 0, 1, 0}};
  private static final int[] LABELS = {2, 0};

  private final Engine engine = new Engine(new ReferenceBackend());

  private SemiSupervisedModel model() {
    return model(1.0);
  }

  private SemiSupervisedModel model(double klWeight) {
    return new SemiSupervisedModel(engine, LikelihoodRegistry.discover().create("bernoulli", M, Options.none()), K,
        5, 3, D, Activation.SOFTPLUS, DType.FLOAT64, 11, klWeight);
  }

  private Tensor x() {
    return engine.fromHost(Arrays.stream(X).flatMapToDouble(Arrays::stream).toArray(), Shape.of(N, M),
        DType.FLOAT64);
  }

  /** The ε the model draws first from a fresh Rng(seed), rows × D. */
  private double[] noise(long seed, int rows) {
    return engine.normal(new Rng(seed), Shape.of(1, rows, D), DType.FLOAT64).toDoubles();
  }

  private static double[] row(double[] values, int i) {
    return Arrays.copyOfRange(values, i * D, (i + 1) * D);
  }

  @Test
  void theLabelledObjectiveIsMinusTheBoundPlusAlphaTimesTheCrossEntropy() {
    double alpha = 0.7;
    try (SemiSupervisedModel model = model()) {
      HandNetwork hand = new HandNetwork(model.parameters(), K, D);
      double[] eps = noise(5, N);
      double[] expectedBounds = new double[N];
      double negBound = 0;
      double crossEntropy = 0;
      for (int i = 0; i < N; i++) {
        expectedBounds[i] = hand.bound(X[i], LABELS[i], row(eps, i));
        negBound -= expectedBounds[i] / N;
        crossEntropy -= hand.logQ(X[i])[LABELS[i]] / N;
      }
      assertThat(model.labelledBound(x(), LABELS, new Rng(5)).toDoubles())
          .containsExactly(expectedBounds, within(1e-10));
      SemiSupervisedModel.Terms terms = model.objective(x(), LABELS, x(), alpha, new Rng(5));
      assertThat(terms.negativeBound().item()).isCloseTo(negBound, within(1e-10));
      assertThat(terms.crossEntropy().item()).isCloseTo(crossEntropy, within(1e-10));
      assertThat(terms.loss().item())
          .isCloseTo(negBound + alpha * crossEntropy + terms.unlabelled().item(), within(1e-10));
      double weight = 0.25;
      SemiSupervisedModel.Terms weighed = model.objective(x(), LABELS, x(), alpha, weight, new Rng(5));
      assertThat(weighed.loss().item()).as("the labelled bound at weight %s", weight)
          .isCloseTo(weight * negBound + alpha * crossEntropy + weighed.unlabelled().item(), within(1e-10));
      assertThat(crossEntropy).as("a random classifier on 3 classes").isBetween(0.3, 3.0);
    }
  }

  @Test
  void theUnlabelledObjectiveSumsEveryClassWeightedByTheClassifierMinusItsEntropy() {
    try (SemiSupervisedModel model = model()) {
      HandNetwork hand = new HandNetwork(model.parameters(), K, D);
      double[] eps = noise(9, K * N);
      double[] expected = new double[N];
      for (int i = 0; i < N; i++) {
        double[] logQ = hand.logQ(X[i]);
        double entropy = 0;
        for (int k = 0; k < K; k++) {
          double q = Math.exp(logQ[k]);
          // class-major: the k-th copy of the batch draws rows k·N .. k·N + N − 1 of ε
          expected[i] += q * -hand.bound(X[i], k, row(eps, k * N + i));
          entropy -= q * logQ[k];
        }
        expected[i] -= entropy;
      }
      assertThat(model.unlabelledLoss(x(), new Rng(9)).toDoubles()).containsExactly(expected, within(1e-10));
    }
  }

  @Test
  void aKlWeightScalesTheKlOfZInTheLabelledAndUnlabelledBounds() {
    double beta = 2.5;
    try (SemiSupervisedModel model = model(beta)) {
      HandNetwork hand = new HandNetwork(model.parameters(), K, D);
      double[] eps = noise(5, N);
      double[] expected = new double[N];
      for (int i = 0; i < N; i++) {
        expected[i] = hand.bound(X[i], LABELS[i], row(eps, i), beta);
        assertThat(expected[i]).as("β changes the bound").isLessThan(hand.bound(X[i], LABELS[i], row(eps, i)) - 1e-6);
      }
      assertThat(model.labelledBound(x(), LABELS, new Rng(5)).toDoubles()).containsExactly(expected, within(1e-10));
      double[] classEps = noise(9, K * N);
      double[] bounds = model.classBounds(x(), new Rng(9)).toDoubles();
      for (int i = 0; i < N; i++) {
        for (int k = 0; k < K; k++) {
          assertThat(bounds[i * K + k]).isCloseTo(hand.bound(X[i], k, row(classEps, k * N + i), beta), within(1e-10));
        }
      }
      assertThat(model.describe()).contains("z's KL weighted by 2.5");
    }
  }

  @Test
  void theBoundOfEveryClassAndItsArgmaxMatchTheHandComputedBounds() {
    try (SemiSupervisedModel model = model()) {
      HandNetwork hand = new HandNetwork(model.parameters(), K, D);
      double[] eps = noise(9, K * N);
      double[] expected = new double[N * K];
      int[] best = new int[N];
      for (int i = 0; i < N; i++) {
        for (int k = 0; k < K; k++) {
          expected[i * K + k] = hand.bound(X[i], k, row(eps, k * N + i));
          if (expected[i * K + k] > expected[i * K + best[i]]) {
            best[i] = k;
          }
        }
      }
      Tensor bounds = model.classBounds(x(), new Rng(9));
      assertThat(bounds.shape()).isEqualTo(Shape.of(N, K));
      assertThat(bounds.toDoubles()).containsExactly(expected, within(1e-10));
      assertThat(model.predictFromBounds(x(), new Rng(9))).containsExactly(best);
    }
  }

  @Test
  void theStepObjectiveDrawsTheLabelledNoiseFirstThenTheUnlabelled() {
    try (SemiSupervisedModel model = model()) {
      HandNetwork hand = new HandNetwork(model.parameters(), K, D);
      double[] eps = noise(3, N);
      Rng afterLabelled = new Rng(3);
      afterLabelled.advance((long) N * D);
      double expectedUnlabelled = Arrays.stream(model.unlabelledLoss(x(), afterLabelled).toDoubles()).average()
          .orElseThrow();
      double expectedNegBound = -(hand.bound(X[0], LABELS[0], row(eps, 0)) + hand.bound(X[1], LABELS[1], row(eps, 1)))
          / N;
      SemiSupervisedModel.Terms terms = model.objective(x(), LABELS, x(), 0.5, new Rng(3));
      assertThat(terms.negativeBound().item()).isCloseTo(expectedNegBound, within(1e-10));
      assertThat(terms.unlabelled().item()).isCloseTo(expectedUnlabelled, within(1e-10));
    }
  }
}
