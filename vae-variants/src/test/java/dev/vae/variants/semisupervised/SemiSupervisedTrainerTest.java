package dev.vae.variants.semisupervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.train.NonFiniteValueException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training end to end on a small synthetic problem: the classifier learns from few labels; errors are clear. */
class SemiSupervisedTrainerTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  /** Two overlapping-free Gaussian clusters in 2-D along a diagonal, labelled by cluster. */
  private static DataSet mixture(int n, long seed) {
    return SyntheticData.gaussianMixture(n, new double[][] {{-1.5, 1.5}, {1.5, -1.5}}, new double[] {0.6, 0.6},
        new Rng(seed)).data();
  }

  private SemiSupervisedModel model() {
    return new SemiSupervisedModel(engine, LikelihoodRegistry.discover().create("gaussian", 2,
        new Options(Map.of("sigma", "learned"))), 2, 16, 8, 2, Activation.TANH, DType.FLOAT64, 5);
  }

  private static Batches batches(DataSet data, int size, boolean shuffle) {
    return Batches.of(data).batchSize(size).shuffle(shuffle).seed(3).build();
  }

  @Test
  void theClassifierLearnsFromThreeLabelsPerClass() {
    SemiSupervisedSplit split = SemiSupervisedSplit.draw(mixture(400, 1), 3, 0, 7);
    Batches test = batches(mixture(300, 2), 100, false);
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      SemiSupervisedTrainer trainer = new SemiSupervisedTrainer(model, Inputs.data(2), adam,
          new SemiSupervisedTrainer.Config(15, 1.0, 9));
      double before = trainer.accuracy(test);
      List<SemiSupervisedEpoch> history = trainer.fit(batches(split.labelled(), 6, true),
          batches(split.unlabelled(), 50, true), null, test);
      assertThat(history).hasSize(15);
      assertThat(history.get(14).step()).isEqualTo(15L * ((split.unlabelled().size() + 49) / 50));
      assertThat(before).as("accuracy before training").isLessThan(0.9);
      assertThat(history.get(14).testAccuracy()).as("test accuracy after training").isGreaterThan(0.97);
      assertThat(history.get(14).unlabelledBound()).isGreaterThan(history.get(0).unlabelledBound());
      assertThat(history.get(14).validationAccuracy()).isNaN();
      assertThat(history.get(14).testBoundAccuracy())
          .as("argmax_y L(x, y) on well-separated clusters: y carries the class; the same z draws each call")
          .isEqualTo(trainer.boundAccuracy(test)).isGreaterThan(0.9);
    }
  }

  @Test
  void labelledBatchesWithoutLabelsAreRejected() {
    DataSet data = mixture(40, 1);
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      SemiSupervisedTrainer trainer = new SemiSupervisedTrainer(model, Inputs.data(2), adam,
          new SemiSupervisedTrainer.Config(1, 1.0, 9));
      assertThatThrownBy(() -> trainer.fit(batches(data.withoutLabels(), 10, true), batches(data, 10, true), null,
          null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the labelled data 'gaussian-mixture' have no labels");
    }
  }

  @Test
  void aNonFiniteTermStopsTrainingNamingTheStepTheTermAndTheParameter() {
    SemiSupervisedSplit split = SemiSupervisedSplit.draw(mixture(40, 1), 2, 0, 7);
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      Parameter classifierBias = model.parameters().get(1);
      try (MemoryScope scope = engine.scope()) {
        classifierBias.replace(scope.detach(engine.backend().fromHost(new double[] {Double.NaN, 0, 0, 0, 0, 0, 0, 0},
            classifierBias.shape(), DType.FLOAT64)));
      }
      SemiSupervisedTrainer trainer = new SemiSupervisedTrainer(model, Inputs.data(2), adam,
          new SemiSupervisedTrainer.Config(1, 1.0, 9));
      assertThatThrownBy(() -> trainer.fit(batches(split.labelled(), 4, true), batches(split.unlabelled(), 10, true),
          null, null)).isInstanceOf(NonFiniteValueException.class)
          .hasMessageContaining("at step 0 (epoch 1) in classification loss -log q(y|x) = NaN")
          .hasMessageContaining("parameter classifier.0.bias");
    }
  }

  @Test
  void inputsOfTheWrongDimensionAreRejected() {
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      assertThatThrownBy(() -> new SemiSupervisedTrainer(model, Inputs.data(3), adam,
          new SemiSupervisedTrainer.Config(1, 1.0, 9))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expects inputs of dimension 2 but the input map gives 3");
    }
  }

  @Test
  void aRunResumedFromItsCheckpointEndsWhereAnUninterruptedOneDoes(@TempDir Path dir) throws Exception {
    SemiSupervisedSplit split = SemiSupervisedSplit.draw(mixture(200, 1), 3, 0, 7);
    Batches labelled = batches(split.labelled(), 4, true);
    Batches unlabelled = batches(split.unlabelled(), 50, true);
    SemiSupervisedTrainer.Config threeEpochs = new SemiSupervisedTrainer.Config(3, 1.0, 9);
    double[] straight;
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      new SemiSupervisedTrainer(model, Inputs.data(2), adam, threeEpochs).fit(labelled, unlabelled, null, null);
      straight = flatten(model.parameters());
    }
    CheckpointStore store = new CheckpointStore(dir, 2);
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      SemiSupervisedTrainer first = new SemiSupervisedTrainer(model, Inputs.data(2), adam,
          new SemiSupervisedTrainer.Config(2, 1.0, 9));
      first.addListener(new SemiSupervisedCheckpoints(store, first, model, adam, Map.of("run", "test")));
      first.fit(labelled, unlabelled, null, null);
    }
    Checkpoint saved = store.loadLatest().orElseThrow();
    assertThat(saved.epoch()).isEqualTo(2);
    assertThat(saved.config()).containsEntry("run", "test");
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      SemiSupervisedTrainer resumed = new SemiSupervisedTrainer(model, Inputs.data(2), adam, threeEpochs);
      SemiSupervisedCheckpoints.resume(saved, resumed, model, adam);
      List<SemiSupervisedEpoch> rest = resumed.fit(labelled, unlabelled, null, null);
      assertThat(rest).extracting(SemiSupervisedEpoch::epoch).containsExactly(2);
      assertThat(rest.get(0).step()).isEqualTo(3L * unlabelled.batchesPerEpoch());
      assertThat(flatten(model.parameters())).containsExactly(straight);
    }
  }

  @Test
  void resumingBeyondTheRunsEpochsIsRefused() {
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      SemiSupervisedTrainer trainer = new SemiSupervisedTrainer(model, Inputs.data(2), adam,
          new SemiSupervisedTrainer.Config(2, 1.0, 9));
      assertThatThrownBy(() -> trainer.resumeAfter(3, 30)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("after epoch 3").hasMessageContaining("run of 2 epochs");
    }
  }

  private static double[] flatten(List<Parameter> parameters) {
    return parameters.stream().flatMapToDouble(p -> java.util.Arrays.stream(p.toDoubles())).toArray();
  }
}
