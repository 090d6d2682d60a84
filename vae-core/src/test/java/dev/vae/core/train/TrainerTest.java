package dev.vae.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.DType;
import dev.vae.api.backend.Philox;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.plugin.VariantRegistry;
import dev.vae.core.testkit.LogCapture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training end to end on a tiny model: resume reproduces, NaN is caught and located, the ELBO rises. */
class TrainerTest {
  private final Engine engine = new Engine(new ReferenceBackend());
  private final LikelihoodRegistry likelihoods = new LikelihoodRegistry(List.of(UnitGaussianLikelihood.PROVIDER));
  private final VariantRegistry variants = VariantRegistry.discover();
  private final ModelSpec spec = new ModelSpec(4, new int[] {6}, 2, Activation.TANH, "unit-gaussian", Map.of(),
      DType.FLOAT64, 3);

  private static DataSet data() {
    double[] z = new double[48 * 2];
    Philox.normals(17, 0, z);
    float[] x = new float[48 * 4];
    for (int i = 0; i < 48; i++) {
      x[i * 4] = (float) z[2 * i];
      x[i * 4 + 1] = (float) (z[2 * i] - z[2 * i + 1]);
      x[i * 4 + 2] = (float) (0.5 * z[2 * i + 1]);
      x[i * 4 + 3] = (float) (z[2 * i] + 0.1);
    }
    return DataSet.of("tiny", x, 4);
  }

  private static Batches batches(TrainerConfig config) {
    return Batches.of(data()).batchSize(config.batchSize()).seed(config.seed()).build();
  }

  private static TrainerConfig config(int epochs) {
    return TrainerConfig.defaults().toBuilder().epochs(epochs).batchSize(10).learningRate(0.01).seed(5).build();
  }

  private static List<double[]> values(Vae vae) {
    List<double[]> out = new ArrayList<>();
    for (Parameter p : vae.parameters()) {
      out.add(p.toDoubles());
    }
    return out;
  }

  @Test
  void aResumedRunEndsExactlyWhereAnUninterruptedOneDoes(@TempDir Path dir) throws Exception {
    List<double[]> uninterrupted;
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 0.01)) {
      new Trainer(vae, adam, config(3)).fit(batches(config(3)), null);
      uninterrupted = values(vae);
    }
    CheckpointStore store = new CheckpointStore(dir, 2);
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 0.01)) {
      Trainer first = new Trainer(vae, adam, config(1));
      Map<String, String> runConfig = new java.util.LinkedHashMap<>(spec.toMap());
      runConfig.put("data", "tiny");
      first.addListener(new TrainingCheckpoints(store, first, runConfig));
      first.fit(batches(config(1)), null);
      assertThat(first.state().nextEpoch()).isEqualTo(1);
    }
    Checkpoint afterOne = store.loadLatest().orElseThrow();
    assertThat(afterOne.step()).isEqualTo(5);
    try (Vae vae = TrainingCheckpoints.modelSpec(afterOne).build(engine, likelihoods, variants);
        Adam adam = Adam.adam(engine, 0.01)) {
      TrainerConfig saved = TrainingCheckpoints.trainerConfig(afterOne).toBuilder().epochs(3).build();
      assertThat(saved).isEqualTo(config(3));
      assertThat(afterOne.config()).containsEntry("data", "tiny");
      TrainingState state = TrainingCheckpoints.restore(afterOne, new VaeTraining(vae, saved.samples()), adam);
      new Trainer(vae, adam, saved, state).fit(batches(saved), null);
      List<double[]> resumed = values(vae);
      for (int i = 0; i < resumed.size(); i++) {
        assertThat(resumed.get(i)).as("parameter %d", i).containsExactly(uninterrupted.get(i));
      }
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "fused kernels: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void theElboRisesDuringTraining(boolean fused) {
    Engine engine = new Engine(fused ? new ReferenceBackend() : ReferenceBackend.withoutFusedKernels());
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 0.01)) {
      List<EpochMetrics> history = new Trainer(vae, adam, config(30)).fit(batches(config(30)), null);
      assertThat(history).hasSize(30);
      assertThat(history.get(29).train(VaeTraining.ELBO)).as("ELBO after 30 epochs vs the first")
          .isGreaterThan(history.get(0).train(VaeTraining.ELBO) + 0.5);
      assertThat(history.get(0).train(VaeTraining.RECONSTRUCTION) - history.get(0).train(VaeTraining.KL))
          .isCloseTo(history.get(0).train(VaeTraining.ELBO), org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void divergenceIsReportedWithStepTermAndOrigin() {
    TrainerConfig wild = config(5).toBuilder().learningRate(1e6).build();
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 1e6)) {
      assertThatThrownBy(() -> new Trainer(vae, adam, wild).fit(batches(wild), null))
          .isInstanceOfSatisfying(NonFiniteValueException.class, e -> {
            assertThat(e.step()).isGreaterThan(0);
            assertThat(e.term()).isIn(VaeTraining.RECONSTRUCTION, VaeTraining.KL);
            assertThat(e.origin()).isNotEmpty();
            assertThat(e.getMessage()).contains("step " + e.step()).contains(e.term());
          });
    }
  }

  @Test
  void skippingHalvesTheLearningRateAndWarns() {
    TrainerConfig wild = config(3).toBuilder().learningRate(1e6).nonFinitePolicy(NonFinitePolicy.SKIP_AND_HALVE)
        .build();
    List<String> warnings = new ArrayList<>();
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 1e6)) {
      Trainer trainer = new Trainer(vae, adam, wild);
      trainer.addListener(new TrainingListener() {
        @Override
        public void warning(String message) {
          warnings.add(message);
        }
      });
      try {
        trainer.fit(batches(wild), null);
      } catch (NonFiniteValueException tooMany) {
        assertThat(tooMany.getMessage()).contains("non-finite");
      }
      assertThat(warnings).isNotEmpty().allSatisfy(w -> assertThat(w).contains("halved the learning rate"));
      assertThat(trainer.state().learningRateScale()).isLessThan(1.0);
    }
  }

  @Test
  void anOptimizerBuiltWithAnotherLearningRateIsRefusedRatherThanSilentlyOverridden() {
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 0.5)) {
      assertThatThrownBy(() -> new Trainer(vae, adam, config(1))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the optimizer's learning rate is 0.5 but the trainer's configuration says 0.01");
    }
  }

  @Test
  void batchesOfAnotherSizeThanTheConfigurationsAreRefused() {
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 0.01)) {
      Batches other = Batches.of(data()).batchSize(7).seed(5).build();
      assertThatThrownBy(() -> new Trainer(vae, adam, config(1)).fit(other, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the training batches hold 7 examples but the trainer's configuration says batch size 10");
    }
  }

  @Test
  void warningsReachTheLogWithoutAnyListener() {
    TrainerConfig wild = config(2).toBuilder().learningRate(1e6).nonFinitePolicy(NonFinitePolicy.SKIP_AND_HALVE)
        .build();
    List<String> logged;
    try (LogCapture log = LogCapture.of(Trainer.class);
        Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 1e6)) {
      try {
        new Trainer(vae, adam, wild).fit(batches(wild), null);
      } catch (NonFiniteValueException tooMany) {
        // the warnings before it are what this test is about
      }
      logged = log.warnings();
    }
    assertThat(logged).isNotEmpty().allSatisfy(w -> assertThat(w).contains("halved the learning rate"));
  }

  @Test
  void aRunThatStoppedEarlyStaysStoppedWhenResumed() {
    TrainerConfig patient = config(30).toBuilder().validation(0.25, 1).build();
    // patience 1: the first epoch whose validation ELBO is not a new best stops the run
    DataSet.Split split = data().split(0.25, new dev.vae.api.Rng(1));
    Batches train = Batches.of(split.train()).batchSize(10).seed(5).build();
    Batches validation = Batches.of(split.validation()).batchSize(10).seed(5).build();
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 0.01)) {
      Trainer first = new Trainer(vae, adam, patient);
      List<EpochMetrics> history = first.fit(train, validation);
      assertThat(history).as("stopped early").hasSizeLessThan(30);
      TrainingState stopped = TrainingState.restored(first.state().nextEpoch(), first.state().step(),
          first.state().learningRateScale(), first.state().bestMeasure(), first.state().epochsWithoutImprovement(),
          first.state().epochsCollapsed());
      assertThat(new Trainer(vae, adam, patient, stopped).fit(train, validation)).isEmpty();
    }
  }
}
