package dev.vae.core.prior;

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
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.model.StandardNormalPrior;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.PriorRegistry;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.UnitGaussianLikelihood;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The trainable priors: their log-densities against direct computations, their draws against their
 * moments, Monte Carlo KL against the closed form, gradients against finite differences, and
 * training with a model.
 */
class PriorsTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  /** log Σ_k w_k N(z; μ_k, diag exp(v_k)) by loops in double precision. */
  private static double mixture(double[] z, double[][] means, double[][] logVariances, double[] weights) {
    double total = 0;
    for (int k = 0; k < means.length; k++) {
      double log = Math.log(weights[k]);
      for (int j = 0; j < z.length; j++) {
        double var = Math.exp(logVariances[k][j]);
        log += -0.5 * Math.log(2 * Math.PI * var) - (z[j] - means[k][j]) * (z[j] - means[k][j]) / (2 * var);
      }
      total += Math.exp(log);
    }
    return Math.log(total);
  }

  private static double[][] rows(double[] flat, int columns) {
    double[][] out = new double[flat.length / columns][columns];
    for (int i = 0; i < out.length; i++) {
      System.arraycopy(flat, i * columns, out[i], 0, columns);
    }
    return out;
  }

  private Tensor tensor(double[] values, int... shape) {
    return engine.fromHost(values, Shape.of(shape), DType.FLOAT64);
  }

  @Test
  void theMixturesLogDensityIsTheWeightedSumOfItsGaussians() {
    Random random = new Random(1);
    double[] means = random.doubles(3 * 2, -2, 2).toArray();
    double[] logVariances = random.doubles(3 * 2, -1, 1).toArray();
    double[] weights = {0.2, 0.5, 0.3};
    double[] z = random.doubles(5 * 2, -3, 3).toArray();
    try (MemoryScope scope = engine.scope()) {
      double[] got = GaussianMixture.logDensity(tensor(z, 5, 2), tensor(means, 3, 2), tensor(logVariances, 3, 2),
          tensor(java.util.Arrays.stream(weights).map(Math::log).toArray(), 3)).toDoubles();
      for (int i = 0; i < 5; i++) {
        double[] row = {z[2 * i], z[2 * i + 1]};
        assertThat(got[i]).isCloseTo(mixture(row, rows(means, 2), rows(logVariances, 2), weights), within(1e-12));
      }
    }
  }

  @Test
  void theMixturePriorStartsWithEqualWeightsAndUnitVariances() {
    MixturePrior prior = new MixturePrior(engine, 4, 3, true, new Rng(2), DType.FLOAT64);
    double[] z = new Random(3).doubles(6 * 3, -2, 2).toArray();
    try (MemoryScope scope = engine.scope()) {
      double[] got = prior.logProb(tensor(z, 6, 3)).toDoubles();
      double[][] means = rows(prior.parameters().get(0).toDoubles(), 3);
      for (int i = 0; i < 6; i++) {
        double[] row = java.util.Arrays.copyOfRange(z, 3 * i, 3 * i + 3);
        assertThat(got[i]).isCloseTo(mixture(row, means, new double[4][3], new double[] {0.25, 0.25, 0.25, 0.25}),
            within(1e-12));
      }
    }
    assertThat(prior.parameters()).extracting(Parameter::name)
        .containsExactly("prior.means", "prior.log-variances", "prior.logits");
    MixturePrior equalWeights = new MixturePrior(engine, 4, 3, false, new Rng(2), DType.FLOAT64);
    assertThat(equalWeights.parameters()).hasSize(2);
    prior.parameters().forEach(Parameter::close);
    equalWeights.parameters().forEach(Parameter::close);
  }

  @Test
  void aMixturePriorDrawsEachComponentAsOftenAsItsLearnedWeightSays() {
    MixturePrior prior = new MixturePrior(engine, 2, 1, true, new Rng(12), DType.FLOAT64);
    prior.parameters().get(0).replace(engine.backend().fromHost(new double[] {-10, 10}, Shape.of(2, 1),
        DType.FLOAT64));
    prior.parameters().get(2).replace(engine.backend().fromHost(new double[] {Math.log(0.2), Math.log(0.8)},
        Shape.of(2), DType.FLOAT64));
    int n = 20_000;
    try (MemoryScope scope = engine.scope()) {
      double[] z = prior.sample(n, 1, engine, DType.FLOAT64, new Rng(13)).toDoubles();
      double first = java.util.Arrays.stream(z).filter(v -> v < 0).count() / (double) n;
      assertThat(first).isCloseTo(0.2, within(0.01));
      assertThatIllegalArgumentException().isThrownBy(() -> prior.sample(3, 2, engine, DType.FLOAT64, new Rng(1)))
          .withMessageContaining("1 latent dimensions, asked for draws in 2");
    }
    prior.parameters().forEach(Parameter::close);
  }

  @Test
  void mixtureDrawsHaveTheMixturesWeightsMeansAndVariances() {
    double[] means = {-4, 0, 4, 1};
    double[] logVariances = {Math.log(0.25), 0, Math.log(4), Math.log(0.5)};
    double[] weights = {0.3, 0.7};
    int n = 40_000;
    try (MemoryScope scope = engine.scope()) {
      double[] z = GaussianMixture.sample("test", n, 2, tensor(means, 2, 2), tensor(logVariances, 2, 2),
          tensor(java.util.Arrays.stream(weights).map(Math::log).toArray(), 2), engine, DType.FLOAT64, new Rng(4))
          .toDoubles();
      int first = 0;
      double[] sum = new double[4];
      double[] squares = new double[4];
      for (int i = 0; i < n; i++) {
        int k = z[2 * i] < -2 ? 0 : 1;
        first += k == 0 ? 1 : 0;
        for (int j = 0; j < 2; j++) {
          sum[2 * k + j] += z[2 * i + j];
          squares[2 * k + j] += z[2 * i + j] * z[2 * i + j];
        }
      }
      assertThat(first / (double) n).as("weight of the first component").isCloseTo(0.3, within(0.01));
      int[] counts = {first, n - first};
      for (int c = 0; c < 4; c++) {
        double mean = sum[c] / counts[c / 2];
        double variance = squares[c] / counts[c / 2] - mean * mean;
        assertThat(mean).as("mean %d", c).isCloseTo(means[c], within(0.05));
        assertThat(variance).as("variance %d", c).isCloseTo(Math.exp(logVariances[c]), within(0.06 * Math.exp(
            logVariances[c])));
      }
    }
  }

  @Test
  void aMonteCarloKlFromOneStandardComponentMatchesTheClosedForm() {
    MixturePrior standard = new MixturePrior(engine, 1, 2, false, new Rng(5), DType.FLOAT64);
    standard.parameters().get(0).replace(engine.backend().fromHost(new double[2], Shape.of(1, 2), DType.FLOAT64));
    double[] mean = {0.7, -1.2};
    double[] logVariance = {Math.log(0.3), Math.log(1.5)};
    int samples = 50_000;
    try (MemoryScope scope = engine.scope()) {
      DiagonalGaussianPosterior q = new DiagonalGaussianPosterior(tensor(mean, 1, 2), tensor(logVariance, 1, 2));
      Tensor z = q.sample(samples, new Rng(6)).z();
      double[] terms = q.logProb(z, samples).sub(standard.logProb(z)).toDoubles();
      double estimate = java.util.Arrays.stream(terms).average().orElseThrow();
      double spread = Math.sqrt(java.util.Arrays.stream(terms).map(t -> (t - estimate) * (t - estimate)).sum()
          / samples / samples);
      double closed = new StandardNormalPrior().klFromDiagonalGaussian(tensor(mean, 1, 2), tensor(logVariance, 1, 2))
          .orElseThrow().sum().item();
      assertThat(estimate).isCloseTo(closed, within(4 * spread));
      assertThat(standard.klFromDiagonalGaussian(tensor(mean, 1, 2), tensor(logVariance, 1, 2)))
          .as("a mixture's KL is estimated, not closed").isEmpty();
    }
  }

  @Test
  void gradientsThroughTheMixtureMatchFiniteDifferences() {
    GradientCheck check = new GradientCheck(engine, 7);
    List<Shape> shapes = List.of(Shape.of(4, 3), Shape.of(5, 3), Shape.of(5, 3), Shape.of(5));
    check.check("mixture log-density", in -> GaussianMixture.logDensity(in.get(0), in.get(1), in.get(2), in.get(3)),
        shapes, List.of(check.normal(shapes.get(0)), check.normal(shapes.get(1)), check.uniform(shapes.get(2), -1, 1),
            check.uniform(shapes.get(3), -2, 0)));
  }

  private Vae vampModel(int pseudoInputs) {
    return new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(6)).hidden(5).latent(2).dtype(DType.FLOAT64)
        .prior(new VampPrior.Provider(), Options.parse("pseudo-inputs=" + pseudoInputs + ",pseudo-std=0.5")).seed(8)
        .build();
  }

  @Test
  void theVampPriorIsTheMixtureOfThePosteriorsAtItsPseudoInputs() {
    try (Vae vae = vampModel(3)) {
      checkVampPrior(vae);
    }
  }

  private void checkVampPrior(Vae vae) {
    VampPrior prior = (VampPrior) vae.prior();
    double[] z = new Random(9).doubles(4 * 2, -2, 2).toArray();
    try (MemoryScope scope = engine.scope()) {
      DiagonalGaussianPosterior q = vae.encode(prior.pseudoInputs().tensor()).base();
      double[][] means = rows(q.mean().toDoubles(), 2);
      double[][] logVariances = rows(q.logVariance().toDoubles(), 2);
      double[] got = prior.logProb(tensor(z, 4, 2)).toDoubles();
      for (int i = 0; i < 4; i++) {
        double[] row = {z[2 * i], z[2 * i + 1]};
        assertThat(got[i]).isCloseTo(mixture(row, means, logVariances, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}),
            within(1e-12));
      }
      assertThat(prior.sample(7, 2, engine, DType.FLOAT64, new Rng(1)).shape()).isEqualTo(Shape.of(7, 2));
    }
    assertThat(vae.parameters()).extracting(Parameter::name).endsWith("prior.pseudo-inputs");
    GradientCheck check = new GradientCheck(engine, 10);
    Tensor fixedZ = tensor(z, 4, 2);
    check.check("VampPrior log-density in its pseudo-inputs", in -> {
      DiagonalGaussianPosterior at = vae.encode(in.get(0)).base();
      return GaussianMixture.logDensity(fixedZ, at.mean(), at.logVariance(), tensor(new double[] {-Math.log(3),
          -Math.log(3), -Math.log(3)}, 3));
    }, List.of(Shape.of(3, 6)), List.of(prior.pseudoInputs().toDoubles()));
  }

  @Test
  void aVampPriorTrainsWithTheModelAndItsPseudoInputsMove() {
    DataSet data = SyntheticData.ppca(300, 6, 2, 0.3, new Rng(11)).data();
    TrainerConfig config = TrainerConfig.defaults().toBuilder().epochs(3).batchSize(50).learningRate(1e-2).build();
    try (Vae vae = vampModel(10); Adam adam = Adam.adam(engine, config.learningRate())) {
      double[] before = ((VampPrior) vae.prior()).pseudoInputs().toDoubles();
      new Trainer(vae, adam, config).fit(Batches.of(data).batchSize(50).seed(1).build(), null);
      double[] after = ((VampPrior) vae.prior()).pseudoInputs().toDoubles();
      assertThat(after).isNotEqualTo(before);
      assertThat(java.util.Arrays.stream(after).allMatch(Double::isFinite)).isTrue();
    }
  }

  @Test
  void theRegistryFindsTheBuiltInPriorsAndBadOptionsAreNamedLeavingNoArraysBehind() {
    long live = ((ReferenceBackend) engine.backend()).liveArrays();
    assertThat(PriorRegistry.discover().providers()).extracting(PriorProvider::name)
        .contains("mixture", "standard-normal", "vamp");
    assertThatIllegalArgumentException().isThrownBy(() -> new VaeBuilder(engine)
        .likelihood(new UnitGaussianLikelihood(6)).prior(new MixturePrior.Provider(), Options.parse("component=3"))
        .build()).withMessageContaining("component");
    assertThatIllegalArgumentException().isThrownBy(() -> vampModel(0)).withMessageContaining("pseudo-inputs");
    assertThat(((ReferenceBackend) engine.backend()).liveArrays()).as("a model that cannot be built frees its arrays")
        .isEqualTo(live);
  }
}
