package dev.vae.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.posterior.FullCovarianceGaussianPosterior;
import dev.vae.core.train.UnitGaussianLikelihood;
import org.junit.jupiter.api.Test;

/**
 * The amortisation gap on a linear Gaussian decoder ({@link LinearGaussianDecoder}), whose exact
 * log p(x) and best diagonal Gaussian posterior are known in closed form: the best factorised q has
 * the posterior's mean and variances 1/Λ_jj, and its ELBO falls short of log p(x) by
 * ½ (Σ_j log Λ_jj − log det Λ).
 */
class AmortisationGapTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  @Test
  void theOptimisedPosteriorReachesTheBestDiagonalGaussianAndTheGapsSplitTheBound() {
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(LinearGaussianDecoder.M)).hidden()
        .latent(LinearGaussianDecoder.D)
        .dtype(DType.FLOAT64).seed(3).build()) {
      LinearGaussianDecoder model = new LinearGaussianDecoder(engine, vae);
      int n = 7; // batches of three: the last one partial
      float[] data = LinearGaussianDecoder.data(n, 4);
      // 120 codes at once: the examples are optimised three at a time (3 · 20 draws, doubled for the gradient),
      // and measured 40 draws at a time, the last chunk of the 4010 shorter.
      long live = ((ReferenceBackend) engine.backend()).liveArrays();
      AmortisationGap.Result result = AmortisationGap.measure(vae, data, n,
          new AmortisationGap.Settings(600, 20, 0.05, 4010, 4000, 120), new Rng(5));

      double exact = model.logLikelihood(data, n);
      double bestGap = model.bestDiagonalGap();

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
  void aFullCovariancePosteriorClosesTheApproximationGapOfALinearGaussianModel() {
    // The exact posterior of a linear Gaussian decoder is a correlated Gaussian: within the family.
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(LinearGaussianDecoder.M)).hidden()
        .latent(LinearGaussianDecoder.D).posterior(new FullCovarianceGaussianPosterior.Provider(), Options.none())
        .dtype(DType.FLOAT64).seed(3).build()) {
      LinearGaussianDecoder model = new LinearGaussianDecoder(engine, vae);
      int n = 4;
      float[] data = LinearGaussianDecoder.data(n, 4);
      AmortisationGap.Result result = AmortisationGap.measure(vae, data, n,
          new AmortisationGap.Settings(600, 20, 0.05, 4000, 4000, 120), new Rng(5));
      double exact = model.logLikelihood(data, n);
      assertThat(result.optimisedElbo()).as("the optimised ELBO reaches log p(x)").isCloseTo(exact, within(0.03));
      assertThat(result.logLikelihood()).as("importance-sampled from the exact posterior").isCloseTo(exact,
          within(0.01));
      assertThat(result.amortisationGap()).isGreaterThan(1.0);
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
