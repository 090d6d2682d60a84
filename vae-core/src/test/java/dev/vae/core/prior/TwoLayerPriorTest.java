package dev.vae.core.prior;

import static dev.vae.core.prior.LinearTwoLayer.logNormal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.eval.LayerKl;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.FullCovarianceGaussianPosterior;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.train.UnitGaussianLikelihood;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two-layer prior (Burda et al. 2016): its layers' terms by hand on a fixed linear network, the
 * bound of a two-layer linear Gaussian model reaching the exact log p(x) when every posterior is the
 * exact one, ancestral samples with the right moments, and gradients against finite differences.
 */
class TwoLayerPriorTest {
  private static final int M = 4;
  private static final int D = 2;
  private static final double[] A = LinearTwoLayer.A;
  private static final double[] B = LinearTwoLayer.B;
  private static final double[] S = LinearTwoLayer.S;
  /** The decoder x = z₁ · W + c + N(0, I), W [D, M] row-major. */
  private static final double[] W = {1.2, -0.4, 0.7, 0.2, 0.3, 0.9, -0.6, 1.1};
  private static final double[] C = {0.1, -0.3, 0.2, 0.0};
  private final Engine engine = new Engine(new ReferenceBackend());

  private Vae model() {
    return new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden().latent(D)
        .posterior(new FullCovarianceGaussianPosterior.Provider(), Options.parse("off-diagonal-scale=1"))
        .prior(new TwoLayerPrior.Provider(), Options.parse("latent2=1,depth=0")).dtype(DType.FLOAT64).seed(2)
        .build();
  }

  private void set(Parameter p, double... values) {
    LinearTwoLayer.set(engine, p, values);
  }

  /** Sets p(z₁ | z₂) and the decoder to the model above. */
  private void setGenerative(Vae vae) {
    LinearTwoLayer.setGenerative(engine, ((TwoLayerPrior) vae.prior()).parameters(), vae, W, C);
  }

  @Test
  void eachLayersTermIsTheDensityWrittenOut() {
    try (Vae vae = model(); MemoryScope scope = engine.scope()) {
      setGenerative(vae);
      TwoLayerPrior prior = (TwoLayerPrior) vae.prior();
      // q(z₂ | z₁) = N(0.4 z₁₀ − 0.3 z₁₁ + 0.1, exp(0.2 z₁₀ − 0.5)).
      set(prior.parameters().get(0), 0.4, 0.2, -0.3, 0.0);
      set(prior.parameters().get(1), 0.1, -0.5);
      double[] z = {0.7, -1.1, -0.2, 0.5};
      TwoLayerPrior.Layers layers = prior.layers(engine.fromHost(z, Shape.of(2, D), DType.FLOAT64), new Rng(3));
      double[] draws = layers.upper().toDoubles();
      double[] conditional = layers.logConditional().toDoubles();
      double[] upper = layers.upperKlEstimate().toDoubles();
      for (int e = 0; e < 2; e++) {
        double z0 = z[2 * e];
        double z1 = z[2 * e + 1];
        double z2 = draws[e];
        double logQ = logNormal(z2, 0.4 * z0 - 0.3 * z1 + 0.1, 0.2 * z0 - 0.5);
        double logPrior = logNormal(z2, 0, 0);
        double logConditional = logNormal(z0, A[0] * z2 + B[0], Math.log(S[0])) + logNormal(z1, A[1] * z2 + B[1],
            Math.log(S[1]));
        assertThat(conditional[e]).as("log p(z1 | z2), example %d", e).isCloseTo(logConditional, within(1e-12));
        assertThat(upper[e]).as("log q(z2 | z1) - log p(z2), example %d", e).isCloseTo(logQ - logPrior,
            within(1e-12));
      }
    }
  }

  @Test
  void withEveryPosteriorExactTheBoundIsTheLogLikelihood() {
    // z₁ ~ N(b, Σ₁), Σ₁ = AAᵀ + diag s; the posteriors p(z₁ | x) and p(z₂ | z₁) are Gaussians that the
    // full-covariance encoder and the linear q(z₂ | z₁) express exactly, so every importance weight is p(x).
    double[][] sigma1 = LinearTwoLayer.marginalCovariance();
    double[][] prior1 = inverse(sigma1);
    double[][] precision = new double[D][D];
    for (int i = 0; i < D; i++) {
      for (int j = 0; j < D; j++) {
        double wwt = 0;
        for (int k = 0; k < M; k++) {
          wwt += W[i * M + k] * W[j * M + k];
        }
        precision[i][j] = prior1[i][j] + wwt;
      }
    }
    double[][] cov = inverse(precision);
    double l00 = Math.sqrt(cov[0][0]);
    double l10 = cov[1][0] / l00;
    double l11 = Math.sqrt(cov[1][1] - l10 * l10);
    // mean(x) = cov (Σ₁⁻¹ b + W (x − c)) = K x + k0, K = cov W [D, M].
    double[] encoderWeight = new double[M * 5];
    double[] encoderBias = {0, 0, 2 * Math.log(l00), 2 * Math.log(l11), l10};
    for (int i = 0; i < D; i++) {
      double offset = 0;
      for (int j = 0; j < D; j++) {
        offset += cov[i][j] * (prior1[j][0] * B[0] + prior1[j][1] * B[1]);
      }
      for (int k = 0; k < M; k++) {
        double kik = cov[i][0] * W[k] + cov[i][1] * W[M + k];
        encoderWeight[k * 5 + i] = kik;
        offset -= kik * C[k];
      }
      encoderBias[i] = offset;
    }
    // p(z₂ | z₁): precision 1 + Aᵀ S⁻¹ A, mean (Aᵀ S⁻¹ (z₁ − b)) / precision.
    double p2 = 1 + A[0] * A[0] / S[0] + A[1] * A[1] / S[1];
    double[] inferenceWeight = {A[0] / S[0] / p2, 0, A[1] / S[1] / p2, 0};
    double[] inferenceBias = {-(A[0] * B[0] / S[0] + A[1] * B[1] / S[1]) / p2, -Math.log(p2)};

    double[] x = {0.9, -1.4, 0.3, 2.1, -0.5, 0.2, 1.0, -0.8};
    try (Vae vae = model(); MemoryScope scope = engine.scope()) {
      setGenerative(vae);
      set(vae.encoder().parameters().get(0), encoderWeight);
      set(vae.encoder().parameters().get(1), encoderBias);
      List<Parameter> prior = ((TwoLayerPrior) vae.prior()).parameters();
      set(prior.get(0), inferenceWeight);
      set(prior.get(1), inferenceBias);
      Tensor data = engine.fromHost(x, Shape.of(2, M), DType.FLOAT64);
      Posterior q = vae.encode(data);
      double[] elbo = vae.elboTerms(data, q, new Rng(4), 3).reconstruction().sub(vae.elboTerms(data, q, new Rng(4), 3)
          .kl()).toDoubles();
      double[] weights = vae.logWeights(data, q, 5, new Rng(5)).toDoubles();
      for (int e = 0; e < 2; e++) {
        double exact = exactLogLikelihood(x, e, sigma1, cov, prior1);
        assertThat(elbo[e]).as("ELBO of example %d", e).isCloseTo(exact, within(1e-9));
        for (int s = 0; s < 5; s++) {
          assertThat(weights[s * 2 + e]).as("importance weight %d of example %d", s, e).isCloseTo(exact,
              within(1e-9));
        }
      }
    }
  }

  /** log p(x) = log p(x | z₁) + log p(z₁) − log p(z₁ | x) at z₁ = b (Bayes' rule, any z₁ will do). */
  private static double exactLogLikelihood(double[] x, int e, double[][] sigma1, double[][] cov,
      double[][] prior1) {
    double[] z = B;
    double logLikelihood = 0;
    double[] wr = new double[D];
    for (int k = 0; k < M; k++) {
      double r = x[e * M + k] - (z[0] * W[k] + z[1] * W[M + k] + C[k]);
      logLikelihood += -0.5 * Math.log(2 * Math.PI) - 0.5 * r * r;
      double residual = x[e * M + k] - C[k];
      wr[0] += W[k] * residual;
      wr[1] += W[M + k] * residual;
    }
    double logPrior = -Math.log(2 * Math.PI) - 0.5 * Math.log(det(sigma1));
    double[] mean = new double[D];
    for (int i = 0; i < D; i++) {
      for (int j = 0; j < D; j++) {
        mean[i] += cov[i][j] * (prior1[j][0] * B[0] + prior1[j][1] * B[1] + wr[j]);
      }
    }
    double[][] precision = inverse(cov);
    double[] d = {z[0] - mean[0], z[1] - mean[1]};
    double quadratic = d[0] * (precision[0][0] * d[0] + precision[0][1] * d[1])
        + d[1] * (precision[1][0] * d[0] + precision[1][1] * d[1]);
    double logPosterior = -Math.log(2 * Math.PI) - 0.5 * Math.log(det(cov)) - 0.5 * quadratic;
    return logLikelihood + logPrior - logPosterior;
  }

  private static double det(double[][] m) {
    return m[0][0] * m[1][1] - m[0][1] * m[1][0];
  }

  private static double[][] inverse(double[][] m) {
    double det = det(m);
    return new double[][] {{m[1][1] / det, -m[0][1] / det}, {-m[1][0] / det, m[0][0] / det}};
  }

  @Test
  void theDensityEstimateIsUnbiasedWhateverTheInferenceNetwork() {
    // q(z₂ | z₁) far from the true p(z₂ | z₁): the mean of p̂(z₁) over draws is still p(z₁) = N(b, AAᵀ + S).
    double[] z = {0.9, -1.3};
    int draws = 200_000;
    try (Vae vae = model(); MemoryScope scope = engine.scope()) {
      setGenerative(vae);
      TwoLayerPrior prior = (TwoLayerPrior) vae.prior();
      set(prior.parameters().get(0), 0.4, 0.0, -0.3, 0.0);
      set(prior.parameters().get(1), 0.5, Math.log(1.5));
      Tensor codes = engine.fromHost(z, Shape.of(1, D), DType.FLOAT64).broadcastTo(Shape.of(draws, D));
      double[] estimates = prior.logProb(codes, new Rng(12)).exp().toDoubles();
      double mean = java.util.Arrays.stream(estimates).average().orElseThrow();
      double spread = Math.sqrt(java.util.Arrays.stream(estimates).map(v -> (v - mean) * (v - mean)).sum())
          / draws;
      double exact = LinearTwoLayer.marginalDensity(z);
      assertThat(mean).isCloseTo(exact, within(4 * spread));
      assertThat(spread).as("the test's own premise: a precise mean").isLessThan(0.01 * exact);
      assertThat(Math.exp(prior.logProb(engine.fromHost(z, Shape.of(1, D), DType.FLOAT64)).item()))
          .as("without the model's stream, from 100 draws").isCloseTo(exact, within(0.1 * exact));
    }
  }

  @Test
  void ancestralSamplesHaveTheMarginalMoments() {
    try (Vae vae = model(); MemoryScope scope = engine.scope()) {
      setGenerative(vae);
      LinearTwoLayer.assertMarginalMoments(vae.prior().sample(40_000, D, engine, DType.FLOAT64, new Rng(6))
          .toDoubles());
    }
  }

  @Test
  void gradientsThroughBothNetworksMatchFiniteDifferences() {
    TwoLayerPrior prior = new TwoLayerPrior(engine, 3, 2, new int[] {4}, Activation.TANH, new Rng(1), DType.FLOAT64);
    GradientCheck check = new GradientCheck(engine, 7);
    Shape codes = Shape.of(5, 3);
    check.check("two-layer log p̂(z) in z", in -> prior.logProb(in.get(0), new Rng(8)), List.of(codes),
        List.of(check.normal(codes)));
  }

  @Test
  void theLayersKlsSumToTheModelsKlFromTheSameDraws() {
    float[] data = LinearTwoLayer.waves(6, M);
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden(5).latent(3)
        .prior(new TwoLayerPrior.Provider(), Options.parse("latent2=2,hidden=4")).dtype(DType.FLOAT64).seed(3)
        .build(); MemoryScope scope = engine.scope()) {
      LayerKl layers = LayerKl.measure(vae, data, 6, 6, new Rng(9)).orElseThrow();
      Tensor x = engine.fromHost(data, Shape.of(6, M)).cast(DType.FLOAT64);
      double kl = vae.elboTerms(x, vae.encode(x), new Rng(9), 1).kl().mean().item();
      assertThat(layers.total()).isCloseTo(kl, within(1e-12));
      assertThat(layers.layers().get(1).kl()).as("a KL estimate of z2 that is not the whole")
          .isNotCloseTo(kl, within(1e-6));
      assertThat(layers.layers().get(1).latent().dimension()).isEqualTo(2);
      assertThat(layers.summary()).contains("KL of layer 1 (z, 3 dims)", "KL of layer 2 (z2, 2 dims)");
    }
    try (Vae plain = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden(5).latent(3)
        .dtype(DType.FLOAT64).build()) {
      assertThat(LayerKl.measure(plain, data, 6, 6, new Rng(9))).as("one layer").isEmpty();
    }
  }
}
