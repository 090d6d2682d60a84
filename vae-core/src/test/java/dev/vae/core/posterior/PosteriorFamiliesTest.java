package dev.vae.core.posterior;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.eval.ImportanceSampling;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.PosteriorRegistry;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.UnitGaussianLikelihood;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every posterior family on the classpath: found by name, trained with a model (its shared weights
 * too), described by a checkpoint that rebuilds it, and a proposal whose importance-sampled
 * log p(x) is at least the ELBO, as it must be.
 */
class PosteriorFamiliesTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  @Test
  void theRegistryFindsEveryFamilyByName() {
    assertThat(PosteriorRegistry.discover().providers()).extracting(PosteriorProvider::name)
        .containsExactly("diagonal-gaussian", "full-covariance", "iaf", "planar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"diagonal-gaussian", "full-covariance", "planar", "iaf"})
  void aModelWithTheFamilyTrainsAndItsCheckpointRebuildsIt(String name) {
    DataSet data = SyntheticData.ppca(300, 6, 2, 0.3, new Rng(5)).data();
    Map<String, String> options = name.equals("iaf") ? Map.of("hidden", "8", "context", "4") : Map.of();
    PosteriorProvider provider = PosteriorRegistry.discover().named(name);
    TrainerConfig config = TrainerConfig.defaults().toBuilder().epochs(3).batchSize(50).learningRate(1e-2).build();
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(6)).hidden(8).latent(2)
        .dtype(DType.FLOAT64).posterior(provider, new Options(options)).seed(6).build();
        Adam adam = Adam.adam(engine, config.learningRate())) {
      List<double[]> before = vae.parameters().stream().map(Parameter::toDoubles).toList();
      new Trainer(vae, adam, config).fit(Batches.of(data).batchSize(50).seed(1).build(), null);
      for (int i = 0; i < before.size(); i++) {
        assertThat(vae.parameters().get(i).toDoubles()).as("%s trained", vae.parameters().get(i).name())
            .isNotEqualTo(before.get(i));
      }
      int n = 40;
      float[] rows = Arrays.copyOf(data.toArray(), n * 6);
      try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
        Tensor x = engine.fromHost(rows, Shape.of(n, 6)).cast(DType.FLOAT64);
        Posterior q = vae.encode(x);
        ObjectiveTerms terms = vae.elboTerms(x, q, new Rng(8), 2000);
        double elbo = terms.reconstruction().sub(terms.kl()).mean().item();
        double logLikelihood = Arrays.stream(ImportanceSampling.logLikelihood(vae, x, q, 2000, 500, new Rng(9)))
            .average().orElseThrow();
        assertThat(logLikelihood).as("importance-sampled log p(x) against the ELBO").isBetween(elbo, elbo + 1.0);
      }
      ModelSpec spec = new ModelSpec(6, new int[] {8}, 2, Activation.RELU, "unit-gaussian", Map.of(), "elbo",
          Map.of(), DType.FLOAT64, 6, "mlp", Map.of(), null, null, "standard-normal", Map.of(), name, options);
      ModelSpec read = ModelSpec.fromMap(spec.toMap());
      assertThat(read).isEqualTo(spec);
      try (Vae rebuilt = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(6)).hidden(8).latent(2)
          .dtype(DType.FLOAT64).posterior(PosteriorRegistry.discover().named(read.posterior()),
              new Options(read.posteriorOptions())).seed(6).build()) {
        assertThat(rebuilt.parameters()).extracting(Parameter::name)
            .containsExactlyElementsOf(vae.parameters().stream().map(Parameter::name).toList());
      }
    }
  }
}
