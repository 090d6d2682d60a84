package dev.vae.variants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Parameter;
import dev.vae.core.plugin.LikelihoodRegistry;
import org.junit.jupiter.api.Test;

/**
 * The objectives through a real model small enough to compute by hand: a linear VAE with one data
 * and one latent dimension, Gaussian p(x|z) with σ = 1, fixed weights, and the same noise drawn
 * here from the same seed.
 */
class TinyNetworkObjectiveTest {
  private static final double LOG_TWO_PI = Math.log(2 * Math.PI);
  private static final double[] X = {0.7, -1.2};
  // encoder: [mean, raw log-variance] = x · [0.8, −0.4] + [0.1, −0.6]; decoder: mean = 1.5 z − 0.2.
  private static final double[] ENCODER_WEIGHT = {0.8, -0.4};
  private static final double[] ENCODER_BIAS = {0.1, -0.6};
  private static final double DECODER_WEIGHT = 1.5;
  private static final double DECODER_BIAS = -0.2;

  private final Engine engine = new Engine(new ReferenceBackend());

  private Vae tinyVae(Variant variant) {
    Vae vae = new VaeBuilder(engine).variant(variant).hidden().latent(1).dtype(DType.FLOAT64)
        .likelihood(LikelihoodRegistry.discover().create("gaussian", 1, Options.parse("sigma=1"))).build();
    double[][] values = {ENCODER_WEIGHT, ENCODER_BIAS, {DECODER_WEIGHT}, {DECODER_BIAS}};
    for (int i = 0; i < 4; i++) {
      Parameter p = vae.parameters().get(i);
      p.replace(engine.backend().fromHost(values[i], p.shape(), DType.FLOAT64));
    }
    return vae;
  }

  private Tensor x() {
    return engine.fromHost(X, Shape.of(2, 1), DType.FLOAT64);
  }

  private static double logNormal(double value, double mean, double logVariance) {
    double d = value - mean;
    return -0.5 * (LOG_TWO_PI + logVariance + d * d / Math.exp(logVariance));
  }

  @Test
  void iwaeBoundThroughTheModelMatchesTheHandComputation() {
    int k = 3;
    try (Vae vae = tinyVae(new Iwae(k))) {
      ObjectiveTerms terms = vae.terms(x(), new Rng(9), 1);
      double got = vae.variant().objective(terms, new TrainingClock(0, 1)).loss().item();
      Rng replay = new Rng(9);
      engine.normal(replay, Shape.of(1, 2, 1), DType.FLOAT64);
      double[] eps = engine.normal(replay, Shape.of(k, 2, 1), DType.FLOAT64).toDoubles();
      double bound = 0;
      for (int i = 0; i < 2; i++) {
        double mean = X[i] * ENCODER_WEIGHT[0] + ENCODER_BIAS[0];
        double logVariance = X[i] * ENCODER_WEIGHT[1] + ENCODER_BIAS[1];
        double sum = 0;
        for (int s = 0; s < k; s++) {
          double z = mean + Math.exp(0.5 * logVariance) * eps[s * 2 + i];
          double logWeight = logNormal(X[i], DECODER_WEIGHT * z + DECODER_BIAS, 0) + logNormal(z, 0, 0)
              - logNormal(z, mean, logVariance);
          sum += Math.exp(logWeight);
        }
        bound += Math.log(sum / k) / 2;
      }
      assertThat(got).isCloseTo(-bound, within(1e-12));
    }
  }

  /** Per example: the one-sample reconstruction term and the closed-form KL, with the model's noise. */
  private double[][] termsByHand(long seed) {
    double[] eps = engine.normal(new Rng(seed), Shape.of(1, 2, 1), DType.FLOAT64).toDoubles();
    double[][] out = new double[2][2];
    for (int i = 0; i < 2; i++) {
      double mean = X[i] * ENCODER_WEIGHT[0] + ENCODER_BIAS[0];
      double logVariance = X[i] * ENCODER_WEIGHT[1] + ENCODER_BIAS[1];
      double z = mean + Math.exp(0.5 * logVariance) * eps[i];
      out[0][i] = logNormal(X[i], DECODER_WEIGHT * z + DECODER_BIAS, 0);
      out[1][i] = 0.5 * (mean * mean + Math.exp(logVariance) - logVariance - 1);
    }
    return out;
  }

  private double lossThroughTheModel(Variant variant, long seed, TrainingClock clock) {
    try (Vae vae = tinyVae(variant)) {
      return vae.variant().objective(vae.terms(x(), new Rng(seed), 1), clock).loss().item();
    }
  }

  @Test
  void betaCapacityAndFreeBitsThroughTheModelMatchTheHandComputation() {
    double[][] t = termsByHand(6);
    double meanReconstruction = (t[0][0] + t[0][1]) / 2;
    double meanKl = (t[1][0] + t[1][1]) / 2;
    assertThat(lossThroughTheModel(new BetaVae(3, new KlWeightSchedule.Linear(10)), 6, new TrainingClock(5, 20)))
        .isCloseTo(-meanReconstruction + 1.5 * meanKl, within(1e-12));
    assertThat(lossThroughTheModel(new CapacityVae(7, 4, 8), 6, new TrainingClock(2, 20)))
        .isCloseTo(-meanReconstruction + 7 * Math.abs(meanKl - 1), within(1e-12));
    assertThat(lossThroughTheModel(new FreeBits(2.5, 1), 6, new TrainingClock(0, 20)))
        .isCloseTo(-meanReconstruction + Math.max(2.5, meanKl), within(1e-12));
  }

  @Test
  void freeBitsPerLayerOfALadderFloorEachLayersKlAndMisfitGroupsStopTheBuild() {
    VaeBuilder ladder = new VaeBuilder(engine).hidden(3).latent(2).dtype(DType.FLOAT64)
        .likelihood(LikelihoodRegistry.discover().create("gaussian", 1, Options.parse("sigma=1")))
        .prior(new dev.vae.core.prior.LadderPrior.Provider(), Options.parse("latents=3,hidden=4"));
    try (Vae vae = ladder.variant(FreeBits.ofGroups(1.5, 2, 3)).build()) {
      ObjectiveTerms terms = vae.terms(x(), new Rng(4), 1);
      double[] perDimension = terms.batchKlPerDimension("test").toDoubles();
      double expected = -terms.reconstruction().mean().item() + Math.max(1.5, perDimension[0] + perDimension[1])
          + Math.max(1.5, perDimension[2] + perDimension[3] + perDimension[4]);
      assertThat(perDimension).hasSize(5);
      assertThat(vae.variant().objective(terms, new TrainingClock(0, 1)).loss().item())
          .isCloseTo(expected, within(1e-12));
    }
    assertThatThrownBy(() -> ladder.variant(DeltaVae.bounded(1, 0.1, 0.01)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("variant delta commits its rate against the standard-normal prior");
    assertThatThrownBy(() -> ladder.variant(FreeBits.ofGroups(1.5, 2, 2)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("free-bits: group sizes [2, 2] add up to 4, but the KL has 5 dimensions");
  }

  @Test
  void deltaVaeThroughTheModelUsesTheBoundedVarianceInItsKl() {
    double delta = 0.3;
    try (Vae vae = tinyVae(DeltaVae.bounded(2, delta, 0.01))) {
      ObjectiveTerms terms = vae.terms(x(), new Rng(4), 1);
      double got = vae.variant().objective(terms, new TrainingClock(0, 1)).loss().item();
      double[] eps = engine.normal(new Rng(4), Shape.of(1, 2, 1), DType.FLOAT64).toDoubles();
      double maxLogVariance = Math.log(CommittedRate.maxVariance(delta));
      double minLogVariance = 2 * Math.log(0.01);
      double loss = 0;
      for (int i = 0; i < 2; i++) {
        double mean = X[i] * ENCODER_WEIGHT[0] + ENCODER_BIAS[0];
        double raw = X[i] * ENCODER_WEIGHT[1] + ENCODER_BIAS[1];
        double logVariance = minLogVariance + (maxLogVariance - minLogVariance) / (1 + Math.exp(-raw));
        double z = mean + Math.exp(0.5 * logVariance) * eps[i];
        double reconstruction = logNormal(X[i], DECODER_WEIGHT * z + DECODER_BIAS, 0);
        double kl = 0.5 * (mean * mean + Math.exp(logVariance) - logVariance - 1);
        assertThat(kl).isGreaterThanOrEqualTo(delta);
        loss += (2 * kl - reconstruction) / 2;
      }
      assertThat(got).isCloseTo(loss, within(1e-12));
    }
  }
}
