package dev.vae.core.prior;

import static dev.vae.core.prior.LinearTwoLayer.logNormal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
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
import dev.vae.core.eval.AmortisationGap;
import dev.vae.core.eval.LayerKl;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.posterior.FullCovarianceGaussianPosterior;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.train.UnitGaussianLikelihood;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ladder prior's top-down inference: every layer's density and KL written out by hand on a
 * fixed linear network, the KL as the mean of log q − log p over many draws, a two-layer linear
 * Gaussian model whose exact posterior the ladder expresses reaching the exact log p(x), ancestral
 * samples with the right moments, and gradients against finite differences.
 */
class LadderPriorTest {
  private static final int M = 4;
  private static final int D = 2;
  private static final double[] A = LinearTwoLayer.A;
  private static final double[] B = LinearTwoLayer.B;
  private static final double[] S = LinearTwoLayer.S;
  /** The decoder x = z₁ · W + c + N(0, I), W [D, M] row-major with orthogonal rows. */
  private static final double[] W = {1.0, 0.5, -0.5, 0.2, 0.5, -1.0, 0.0, 0.0};
  private static final double[] C = {0.1, -0.3, 0.2, 0.0};
  private static final double[] X = {0.9, -1.4, 0.3, 2.1, -0.5, 0.2, 1.0, -0.8};
  private final Engine engine = new Engine(new ReferenceBackend());

  private Vae model() {
    return new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden().latent(D)
        .prior(new LadderPrior.Provider(), Options.parse("latents=1,depth=0,combination=precision"))
        .dtype(DType.FLOAT64).seed(2).build();
  }

  private void set(Parameter p, double... values) {
    LinearTwoLayer.set(engine, p, values);
  }

  /** Sets p(z₁ | z₂) and the decoder to the model above. */
  private void setGenerative(Vae vae) {
    LinearTwoLayer.setGenerative(engine, ((LadderPrior) vae.prior()).parameters(), vae, W, C);
  }

  private static double kl(double qMean, double qLogVariance, double pMean, double pLogVariance) {
    double qv = Math.exp(qLogVariance);
    double pv = Math.exp(pLogVariance);
    return 0.5 * (Math.log(pv / qv) + (qv + (qMean - pMean) * (qMean - pMean)) / pv - 1);
  }

  @Test
  void eachLayersDensityAndKlIsWrittenOut() {
    try (Vae vae = model(); MemoryScope scope = engine.scope()) {
      setGenerative(vae);
      List<Parameter> prior = ((LadderPrior) vae.prior()).parameters();
      // z₂'s message: mean 0.6 μ̂₁₀ − 0.4 μ̂₁₁ + 0.2 lv̂₁₀ + 0.1, log-variance 0.3 lv̂₁₁ − 0.7.
      set(prior.get(0), 0.6, 0, -0.4, 0, 0.2, 0, 0, 0.3);
      set(prior.get(1), 0.1, -0.7);
      Tensor x = engine.fromHost(X, Shape.of(2, M), DType.FLOAT64);
      double[] message = vae.encoderOutputs(x).toDoubles();
      int samples = 3;
      Posterior.Draws draws = vae.encode(x).sample(samples, new Rng(5));
      Posterior.Hierarchy layers = draws.hierarchy().orElseThrow();
      double[] z1 = draws.z().toDoubles();
      double[] z2 = layers.upper().get(0).toDoubles();
      double[] logQ = draws.logProb().toDoubles();
      double[] logP = layers.logPrior().toDoubles();
      double[] klPerDimension = layers.klPerDimension().toDoubles();
      assertThat(layers.klPerDimension().shape()).isEqualTo(Shape.of(samples * 2, D + 1));
      for (int row = 0; row < samples * 2; row++) {
        int e = row % 2;
        double[] mu = {message[4 * e], message[4 * e + 1]};
        double[] lv = {message[4 * e + 2], message[4 * e + 3]};
        double topMean = 0.6 * mu[0] - 0.4 * mu[1] + 0.2 * lv[0] + 0.1;
        double topLogVariance = 0.3 * lv[1] - 0.7;
        double expectedLogQ = logNormal(z2[row], topMean, topLogVariance);
        double expectedLogP = logNormal(z2[row], 0, 0);
        assertThat(klPerDimension[row * 3 + 2]).as("KL of z2, draw %d", row)
            .isCloseTo(kl(topMean, topLogVariance, 0, 0), within(1e-12));
        for (int j = 0; j < D; j++) {
          double priorMean = A[j] * z2[row] + B[j];
          double messagePrecision = Math.exp(-lv[j]);
          double precision = messagePrecision + 1 / S[j];
          double mean = (mu[j] * messagePrecision + priorMean / S[j]) / precision;
          expectedLogQ += logNormal(z1[row * D + j], mean, -Math.log(precision));
          expectedLogP += logNormal(z1[row * D + j], priorMean, Math.log(S[j]));
          assertThat(klPerDimension[row * 3 + j]).as("KL of z1_%d, draw %d", j, row)
              .isCloseTo(kl(mean, -Math.log(precision), priorMean, Math.log(S[j])), within(1e-12));
        }
        assertThat(logQ[row]).as("log q of draw %d", row).isCloseTo(expectedLogQ, within(1e-12));
        assertThat(logP[row]).as("log p of draw %d", row).isCloseTo(expectedLogP, within(1e-12));
      }
    }
  }

  @Test
  void theResidualCombinationShiftsAndScalesThePrior() {
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden().latent(D)
        .prior(new LadderPrior.Provider(), Options.parse("latents=1,depth=0,combination=residual"))
        .dtype(DType.FLOAT64).seed(2).build(); MemoryScope scope = engine.scope()) {
      setGenerative(vae);
      Tensor x = engine.fromHost(X, Shape.of(2, M), DType.FLOAT64);
      double[] message = vae.encoderOutputs(x).toDoubles();
      Posterior.Draws draws = vae.encode(x).sample(1, new Rng(5));
      Posterior.Hierarchy layers = draws.hierarchy().orElseThrow();
      double[] z1 = draws.z().toDoubles();
      double[] z2 = layers.upper().get(0).toDoubles();
      double[] logQ = draws.logProb().toDoubles();
      double[] klPerDimension = layers.klPerDimension().toDoubles();
      for (int e = 0; e < 2; e++) {
        // The bottom-up layer's output starts at zero: q(z₂ | x) = N(0, 1), the prior itself.
        double expectedLogQ = logNormal(z2[e], 0, 0);
        assertThat(klPerDimension[e * 3 + 2]).as("KL of z2, example %d", e).isZero();
        for (int j = 0; j < D; j++) {
          double priorMean = A[j] * z2[e] + B[j];
          double mean = priorMean + message[4 * e + j];
          double logVariance = Math.log(S[j]) + message[4 * e + D + j];
          expectedLogQ += logNormal(z1[e * D + j], mean, logVariance);
          assertThat(klPerDimension[e * 3 + j]).as("KL of z1_%d, example %d", j, e)
              .isCloseTo(kl(mean, logVariance, priorMean, Math.log(S[j])), within(1e-12));
        }
        assertThat(logQ[e]).as("log q of example %d", e).isCloseTo(expectedLogQ, within(1e-12));
      }
    }
  }

  @Test
  void aNewResidualLadderStartsAsTheOneLayerModel() {
    Tensor x = engine.fromHost(X, Shape.of(2, M), DType.FLOAT64);
    try (Vae plain = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden(3).latent(D)
        .dtype(DType.FLOAT64).seed(2).build();
        Vae ladder = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden(3).latent(D)
            .prior(new LadderPrior.Provider(), Options.parse("latents=2,combination=residual")).dtype(DType.FLOAT64)
            .seed(2).build(); MemoryScope scope = engine.scope()) {
      double[] one = plain.elboTerms(x, plain.encode(x), new Rng(3), 1).klPerDimension().orElseThrow().toDoubles();
      double[] layered = ladder.elboTerms(x, ladder.encode(x), new Rng(3), 1).klPerDimension().orElseThrow()
          .toDoubles();
      for (int e = 0; e < 2; e++) {
        for (int j = 0; j < D + 2; j++) {
          assertThat(layered[e * (D + 2) + j]).as("KL of unit %d, example %d", j, e)
              .isCloseTo(j < D ? one[e * D + j] : 0, within(1e-12));
        }
      }
    }
  }

  @Test
  void theKlIsTheMeanOfLogQMinusLogPOverDraws() {
    int samples = 40_000;
    try (Vae vae = model(); MemoryScope scope = engine.scope()) {
      randomised((LadderPrior) vae.prior());
      Tensor x = engine.fromHost(X, Shape.of(2, M), DType.FLOAT64);
      Posterior.Draws draws = vae.encode(x).sample(samples, new Rng(6));
      Posterior.Hierarchy layers = draws.hierarchy().orElseThrow();
      double[] ratio = draws.logProb().sub(layers.logPrior()).toDoubles();
      double[] closedForm = layers.klPerDimension().sum(false, 1).toDoubles();
      double mean = Arrays.stream(ratio).average().orElseThrow();
      double spread = Math.sqrt(Arrays.stream(ratio).map(r -> (r - mean) * (r - mean)).sum() / samples / samples);
      assertThat(Arrays.stream(closedForm).average().orElseThrow()).isCloseTo(mean, within(4 * spread));
      assertThat(spread).as("the test's own premise: a precise mean").isLessThan(0.02);
    }
  }

  @Test
  void withTheExactPosteriorTheBoundIsTheLogLikelihood() {
    // W's rows are orthogonal, so p(x | z₁) is, as a function of z₁, N(μ̂, diag 1/|w_j|²) with
    // μ̂_j = w_j·(x − c)/|w_j|²: the linear encoder gives it as layer 1's message, and its product
    // with p(z₁ | z₂) is the exact p(z₁ | z₂, x). p(z₂ | x) ∝ N(z₂; 0, 1) Π_j N(μ̂_j; A_j z₂ + b_j,
    // 1/|w_j|² + s_j) is a Gaussian whose mean is linear in μ̂: the linear bottom-up layer gives it.
    double[] norm = new double[D];
    double[] encoderWeight = new double[M * 2 * D];
    double[] encoderBias = new double[2 * D];
    for (int j = 0; j < D; j++) {
      for (int k = 0; k < M; k++) {
        norm[j] += W[j * M + k] * W[j * M + k];
      }
      for (int k = 0; k < M; k++) {
        encoderWeight[k * 2 * D + j] = W[j * M + k] / norm[j];
        encoderBias[j] -= W[j * M + k] * C[k] / norm[j];
      }
      encoderBias[D + j] = -Math.log(norm[j]);
    }
    double precision2 = 1;
    double meanOffset = 0;
    double[] bottomUpWeight = new double[2 * D * 2];
    for (int j = 0; j < D; j++) {
      double v = 1 / norm[j] + S[j];
      precision2 += A[j] * A[j] / v;
      bottomUpWeight[j * 2] = A[j] / v;
      meanOffset -= A[j] * B[j] / v;
    }
    for (int j = 0; j < D; j++) {
      bottomUpWeight[j * 2] /= precision2;
    }
    try (Vae vae = model(); MemoryScope scope = engine.scope()) {
      setGenerative(vae);
      set(vae.encoder().parameters().get(0), encoderWeight);
      set(vae.encoder().parameters().get(1), encoderBias);
      List<Parameter> prior = ((LadderPrior) vae.prior()).parameters();
      set(prior.get(0), bottomUpWeight);
      set(prior.get(1), meanOffset / precision2, -Math.log(precision2));
      Tensor x = engine.fromHost(X, Shape.of(2, M), DType.FLOAT64);
      Posterior q = vae.encode(x);
      double[] weights = vae.logWeights(x, q, 5, new Rng(5)).toDoubles();
      double[] elbo = vae.elboTerms(x, q, new Rng(4), 20_000).elbo().reshape(1).toDoubles();
      double exactMean = 0;
      for (int e = 0; e < 2; e++) {
        double exact = exactLogLikelihood(e);
        exactMean += exact / 2;
        for (int s = 0; s < 5; s++) {
          assertThat(weights[s * 2 + e]).as("importance weight %d of example %d", s, e).isCloseTo(exact,
              within(1e-9));
        }
      }
      assertThat(elbo[0]).as("the ELBO, by 20,000 draws").isCloseTo(exactMean, within(0.03));
    }
  }

  @Test
  void theAmortisationGapOptimisesEveryLayersMessageToTheExactPosterior() {
    // The encoder and the bottom-up layer stay as built; each example's two messages, optimised, can
    // reach the exact posterior (the test above), so the optimised ELBO reaches log p(x).
    float[] data = new float[X.length];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) X[i];
    }
    try (Vae vae = model()) {
      setGenerative(vae);
      AmortisationGap.Result result = AmortisationGap.measure(vae, data, 2,
          new AmortisationGap.Settings(800, 20, 0.05, 4000, 2000, 120), new Rng(5));
      double exact = (exactLogLikelihood(0) + exactLogLikelihood(1)) / 2;
      assertThat(result.optimisedElbo()).as("the optimised ELBO reaches log p(x)").isCloseTo(exact, within(0.03));
      assertThat(result.logLikelihood()).as("importance-sampled from the exact posterior").isCloseTo(exact,
          within(0.01));
      assertThat(result.amortisationGap()).as("the encoder as built is far from it").isGreaterThan(0.5);
    }
  }

  /** log N(x; Wᵀ b + c, Wᵀ (A Aᵀ + diag s) W + I), by a Cholesky factor written out. */
  private static double exactLogLikelihood(int e) {
    double[][] sigma1 = LinearTwoLayer.marginalCovariance();
    double[][] cov = new double[M][M];
    double[] r = new double[M];
    for (int k = 0; k < M; k++) {
      r[k] = X[e * M + k] - C[k] - B[0] * W[k] - B[1] * W[M + k];
      for (int l = 0; l < M; l++) {
        cov[k][l] = k == l ? 1 : 0;
        for (int i = 0; i < D; i++) {
          for (int j = 0; j < D; j++) {
            cov[k][l] += W[i * M + k] * sigma1[i][j] * W[j * M + l];
          }
        }
      }
    }
    double[][] factor = new double[M][M];
    double logDet = 0;
    for (int k = 0; k < M; k++) {
      for (int l = 0; l <= k; l++) {
        double sum = cov[k][l];
        for (int t = 0; t < l; t++) {
          sum -= factor[k][t] * factor[l][t];
        }
        factor[k][l] = k == l ? Math.sqrt(sum) : sum / factor[l][l];
      }
      logDet += 2 * Math.log(factor[k][k]);
    }
    double quadratic = 0;
    double[] solved = new double[M];
    for (int k = 0; k < M; k++) {
      double sum = r[k];
      for (int t = 0; t < k; t++) {
        sum -= factor[k][t] * solved[t];
      }
      solved[k] = sum / factor[k][k];
      quadratic += solved[k] * solved[k];
    }
    return -0.5 * (M * Math.log(2 * Math.PI) + logDet + quadratic);
  }

  @Test
  void ancestralSamplesAndTheDensityHaveTheMarginalMoments() {
    try (Vae vae = model(); MemoryScope scope = engine.scope()) {
      setGenerative(vae);
      LinearTwoLayer.assertMarginalMoments(vae.prior().sample(40_000, D, engine, DType.FLOAT64, new Rng(6))
          .toDoubles());
      double[] point = {0.9, -1.3};
      double exact = LinearTwoLayer.marginalDensity(point);
      double estimate = Math.exp(vae.prior().logProb(engine.fromHost(point, Shape.of(1, D), DType.FLOAT64)).item());
      assertThat(estimate).as("p(z) from 100 ancestral draws").isCloseTo(exact, within(0.15 * exact));
    }
  }

  @Test
  void gradientsThroughEveryLayerMatchFiniteDifferences() {
    for (LadderPrior.Combination combination : LadderPrior.Combination.values()) {
      checkGradients(new LadderPrior(engine, new int[] {3, 2, 2}, new int[] {4}, Activation.TANH, combination,
          new Rng(1), DType.FLOAT64), combination.name());
    }
  }

  /** The prior's parameters drawn at random (its output layers start at zero, where the layers above do nothing). */
  private LadderPrior randomised(LadderPrior prior) {
    for (Parameter p : prior.parameters()) {
      set(p, new GradientCheck(engine, p.name().hashCode()).normal(p.shape()));
    }
    return prior;
  }

  private void checkGradients(LadderPrior prior, String combination) {
    randomised(prior);
    GradientCheck check = new GradientCheck(engine, 7);
    Shape outputs = Shape.of(2, 6);
    check.check(combination + " ladder log q, log p and KL in the encoder's outputs", in -> {
      Tensor encoded = in.get(0);
      Posterior.Draws draws = prior.posterior(new DiagonalGaussianPosterior(encoded.slice(1, 0, 3),
          encoded.slice(1, 3, 6))).sample(2, new Rng(8));
      Posterior.Hierarchy layers = draws.hierarchy().orElseThrow();
      return draws.logProb().add(layers.logPrior().mul(0.7)).add(layers.klPerDimension().sum(false, 1).mul(1.3))
          .add(draws.z().sum(false, 1));
    }, List.of(outputs), List.of(check.normal(outputs)));
    check.check(combination + " ladder point estimate", in -> prior.posterior(new DiagonalGaussianPosterior(
        in.get(0).slice(1, 0, 3), in.get(0).slice(1, 3, 6))).pointEstimate(), List.of(outputs),
        List.of(check.normal(outputs)));
  }

  @Test
  void theElbosGradientReachesEveryParameterAsFiniteDifferencesSay() {
    float[] data = new float[3 * M];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) Math.cos(1.3 * i);
    }
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden(3).latent(2)
        .prior(new LadderPrior.Provider(), Options.parse("latents=2,hidden=3,depth=1")).dtype(DType.FLOAT64).seed(4)
        .build(); MemoryScope scope = engine.scope()) {
      Tensor x = engine.fromHost(data, Shape.of(3, M)).cast(DType.FLOAT64);
      randomised((LadderPrior) vae.prior());
      java.util.function.DoubleSupplier elbo = () -> vae.elboTerms(x, vae.encode(x), new Rng(11), 2).elbo().item();
      List<Parameter> parameters = vae.parameters();
      List<Tensor> gradients = engine.gradients(vae.elboTerms(x, vae.encode(x), new Rng(11), 2).elbo(),
          parameters.stream().map(Parameter::tensor).toList());
      double h = 1e-6;
      for (int i = 0; i < parameters.size(); i++) {
        Parameter p = parameters.get(i);
        double[] values = p.tensor().toDoubles();
        double[] gradient = gradients.get(i).toDoubles();
        for (int j = 0; j < values.length; j++) {
          double[] moved = values.clone();
          moved[j] = values[j] + h;
          set(p, moved);
          double up = elbo.getAsDouble();
          moved[j] = values[j] - h;
          set(p, moved);
          double down = elbo.getAsDouble();
          set(p, values);
          assertThat(gradient[j]).as("d ELBO / d %s[%d]", p.name(), j)
              .isCloseTo((up - down) / (2 * h), within(1e-6 * Math.max(1, Math.abs(gradient[j]))));
        }
      }
    }
  }

  @Test
  void theLayersKlsSumToTheModelsKlFromTheSameDraws() {
    float[] data = LinearTwoLayer.waves(6, M);
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden(5).latent(3)
        .prior(new LadderPrior.Provider(), Options.parse("latents=2x2,hidden=4")).dtype(DType.FLOAT64).seed(3)
        .build(); MemoryScope scope = engine.scope()) {
      randomised((LadderPrior) vae.prior());
      LayerKl layers = LayerKl.measure(vae, data, 6, 6, new Rng(9)).orElseThrow();
      Tensor x = engine.fromHost(data, Shape.of(6, M)).cast(DType.FLOAT64);
      double kl = vae.elboTerms(x, vae.encode(x), new Rng(9), 1).kl().mean().item();
      // The columns run z, z2, z3: the last two are the top layer's KL from N(0, I), its q the top message.
      LadderPosterior q = (LadderPosterior) vae.encode(x);
      Posterior.Hierarchy path = q.sample(1, new Rng(2)).hierarchy().orElseThrow();
      assertThat(path.upper()).extracting(Tensor::shape).containsExactly(Shape.of(6, 2), Shape.of(6, 2));
      DiagonalGaussianPosterior top = q.meanPath().get(2);
      double[] topKl = top.mean().square().add(top.logVariance().exp()).sub(1).sub(top.logVariance()).mul(0.5)
          .toDoubles();
      double[] columns = path.klPerDimension().slice(1, 5, 7).toDoubles();
      for (int i = 0; i < columns.length; i++) {
        assertThat(columns[i]).as("top layer's KL, entry %d", i).isCloseTo(topKl[i], within(1e-12));
      }
      assertThat(layers.layers()).hasSize(3);
      assertThat(layers.total()).isCloseTo(kl, within(1e-12));
      assertThat(layers.layers().get(2).latent().dimension()).isEqualTo(2);
      assertThat(layers.summary()).contains("KL of layer 1 (z, 3 dims)", "KL of layer 3 (z3, 2 dims)");
    }
  }

  @Test
  void aPosteriorOtherThanTheDiagonalGaussianIsRefusedBeforeTraining() {
    VaeBuilder builder = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(M)).hidden().latent(D)
        .posterior(new FullCovarianceGaussianPosterior.Provider(), Options.none())
        .prior(new LadderPrior.Provider(), Options.none());
    assertThatIllegalArgumentException().isThrownBy(builder::build)
        .withMessageContaining("prior ladder").withMessageContaining("needs the diagonal-gaussian posterior");
    for (String latents : List.of("8xtwo", "8x", "x8")) {
      assertThatIllegalArgumentException().isThrownBy(() -> new VaeBuilder(engine)
          .likelihood(new UnitGaussianLikelihood(M)).prior(new LadderPrior.Provider(),
              Options.parse("latents=" + latents)).build())
          .withMessageContaining("latents=" + latents + " is not a list of dimensions joined by x");
    }
    assertThatIllegalArgumentException().isThrownBy(() -> new VaeBuilder(engine)
        .likelihood(new UnitGaussianLikelihood(M)).prior(new LadderPrior.Provider(), Options.parse("combination=sum"))
        .build()).withMessageContaining("combination=sum is not one of precision, residual");
  }
}
