package dev.vae.variants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.train.EpochMetrics;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.TrainingListener;
import dev.vae.core.train.VaeTraining;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trainer's collapse warning on a configuration built to collapse (β = 200 on data from
 * probabilistic PCA) and not on a healthy one (the plain ELBO on the same data); the delta-VAE at
 * the same β keeps every dimension's KL at its floor.
 */
class CollapseDetectionTest {
  private final Engine engine = new Engine(new ReferenceBackend());
  private final DataSet data = SyntheticData.ppca(400, 6, 2, 0.1, new Rng(3)).data();

  private record Run(List<EpochMetrics> epochs, List<String> warnings) {}

  private Run train(Variant variant) {
    TrainerConfig config = TrainerConfig.defaults().toBuilder().epochs(6).batchSize(50).learningRate(0.01)
        .diagnostics(400, 3).seed(2).build();
    List<String> warnings = new ArrayList<>();
    try (Vae vae = new VaeBuilder(engine).variant(variant).hidden(16).latent(2).dtype(DType.FLOAT64).seed(4)
        .likelihood(LikelihoodRegistry.discover().create("gaussian", 6, Options.parse("sigma=0.3"))).build();
        Adam adam = Adam.adam(engine, config.learningRate())) {
      Trainer trainer = new Trainer(vae, adam, config).addListener(new TrainingListener() {
        @Override
        public void warning(String message) {
          warnings.add(message);
        }
      });
      return new Run(trainer.fit(Batches.of(data).batchSize(50).seed(2).build(), null), warnings);
    }
  }

  @Test
  void aHeavilyWeightedKlCollapsesThePosteriorAndIsWarnedAbout() {
    Run collapsed = train(new BetaVae(200, new KlWeightSchedule.Constant()));
    EpochMetrics last = collapsed.epochs().get(5);
    assertThat(last.diagnostics().activeUnits()).isZero();
    assertThat(collapsed.warnings()).singleElement().asString().contains("posterior collapse");
  }

  @Test
  void thePlainElboOnTheSameDataKeepsItsUnitsAndDoesNotWarn() {
    Run healthy = train(new dev.vae.core.variant.Elbo());
    assertThat(healthy.epochs().get(5).diagnostics().activeUnits()).isEqualTo(2);
    assertThat(healthy.epochs().get(5).diagnostics().mutualInformation()).isGreaterThan(1.0);
    assertThat(healthy.warnings()).isEmpty();
  }

  @Test
  void deltaVaeAtTheSameBetaKeepsEveryDimensionAtItsCommittedRate() {
    Run delta = train(DeltaVae.bounded(200, 0.2, 1e-3));
    EpochMetrics last = delta.epochs().get(5);
    assertThat(java.util.Arrays.stream(last.train().get(VaeTraining.KL_PER_DIMENSION)).min().orElseThrow())
        .isGreaterThanOrEqualTo(0.2 - 1e-9);
    assertThat(last.train(VaeTraining.VARIANT_PREFIX + "committed_rate")).isEqualTo(0.4);
  }
}
