package dev.vae.core.semisupervised;

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
import dev.vae.core.train.BatchSource;
import dev.vae.core.train.EpochMetrics;
import dev.vae.core.train.NonFiniteValueException;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.TrainingCheckpoints;
import dev.vae.core.train.TrainingState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * M2 trained end to end by the one {@link Trainer} on a small synthetic problem: the classifier
 * learns from few labels, a resumed run ends where an uninterrupted one does, errors are clear.
 */
class SemiSupervisedTrainingTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  /** Two well-separated Gaussian clusters in 2-D along a diagonal, labelled by cluster. */
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

  private static TrainerConfig config(int epochs, int batchSize) {
    return TrainerConfig.defaults().toBuilder().epochs(epochs).batchSize(batchSize).learningRate(0.01).seed(9).build();
  }

  @Test
  void theClassifierLearnsFromThreeLabelsPerClass() {
    SemiSupervisedSplit split = SemiSupervisedSplit.draw(mixture(400, 1), 3, 0, 7);
    Batches test = batches(mixture(300, 2), 100, false);
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      SemiSupervisedEvaluation evaluation = new SemiSupervisedEvaluation(model, Inputs.data(2), null, test, 9);
      double before = evaluation.accuracy(test);
      List<EpochMetrics> history = new Trainer(new SemiSupervisedTraining(model, Inputs.data(2), 1.0, 1.0), adam,
          config(15, 50), TrainingState.fresh()).fit(BatchSource.paired(batches(split.labelled(), 6, true),
              batches(split.unlabelled(), 50, true)), evaluation);
      assertThat(history).hasSize(15);
      EpochMetrics last = history.get(14);
      assertThat(last.epoch()).isEqualTo(15);
      assertThat(last.step()).isEqualTo(15L * ((split.unlabelled().size() + 49) / 50));
      assertThat(before).as("accuracy before training").isLessThan(0.9);
      assertThat(last.measured(SemiSupervisedEvaluation.TEST_ACCURACY)).as("test accuracy after training")
          .isGreaterThan(0.97);
      assertThat(last.train(SemiSupervisedTraining.UNLABELLED_BOUND))
          .isGreaterThan(history.get(0).train(SemiSupervisedTraining.UNLABELLED_BOUND));
      assertThat(last.train(SemiSupervisedTraining.LABELLED_ACCURACY)).isBetween(0.0, 1.0);
      assertThat(last.measured(SemiSupervisedEvaluation.VALIDATION_ACCURACY)).isNaN();
      assertThat(last.measured(SemiSupervisedEvaluation.TEST_BOUND_ACCURACY))
          .as("argmax_y L(x, y) on well-separated clusters: y carries the class; the same z draws each call")
          .isEqualTo(evaluation.boundAccuracy(test)).isGreaterThan(0.9);
    }
  }

  @Test
  void labelledBatchesWithoutLabelsAreRejected() {
    DataSet data = mixture(40, 1);
    assertThatThrownBy(() -> BatchSource.paired(batches(data.withoutLabels(), 10, true), batches(data, 10, true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the labelled data 'gaussian-mixture' have no labels");
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
      Trainer trainer = new Trainer(new SemiSupervisedTraining(model, Inputs.data(2), 1.0, 1.0), adam,
          config(1, 10), TrainingState.fresh());
      assertThatThrownBy(() -> trainer.fit(BatchSource.paired(batches(split.labelled(), 4, true),
          batches(split.unlabelled(), 10, true)), new SemiSupervisedEvaluation(model, Inputs.data(2), null, null, 9)))
          .isInstanceOf(NonFiniteValueException.class)
          .hasMessageContaining("at step 0 (epoch 1) in " + SemiSupervisedTraining.CROSS_ENTROPY)
          .hasMessageContaining("parameter classifier.0.bias");
    }
  }

  @Test
  void inputsOfTheWrongDimensionAreRejected() {
    try (SemiSupervisedModel model = model()) {
      assertThatThrownBy(() -> new SemiSupervisedTraining(model, Inputs.data(3), 1.0, 1.0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expects inputs of dimension 2 but the input map gives 3");
    }
  }

  @Test
  void aRunResumedFromItsCheckpointEndsWhereAnUninterruptedOneDoes(@TempDir Path dir) throws Exception {
    SemiSupervisedSplit split = SemiSupervisedSplit.draw(mixture(200, 1), 3, 0, 7);
    BatchSource paired = BatchSource.paired(batches(split.labelled(), 4, true), batches(split.unlabelled(), 50, true));
    double[] straight;
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      new Trainer(new SemiSupervisedTraining(model, Inputs.data(2), 1.0, 1.0), adam, config(3, 50),
          TrainingState.fresh()).fit(paired, new SemiSupervisedEvaluation(model, Inputs.data(2), null, null, 9));
      straight = flatten(model.parameters());
    }
    CheckpointStore store = new CheckpointStore(dir, 2);
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      Trainer first = new Trainer(new SemiSupervisedTraining(model, Inputs.data(2), 1.0, 1.0), adam, config(2, 50),
          TrainingState.fresh());
      first.addListener(new TrainingCheckpoints(store, first, Map.of("run", "test")));
      first.fit(paired, new SemiSupervisedEvaluation(model, Inputs.data(2), null, null, 9));
    }
    Checkpoint saved = store.loadLatest().orElseThrow();
    assertThat(saved.epoch()).isEqualTo(2);
    assertThat(saved.config()).containsEntry("run", "test");
    try (SemiSupervisedModel model = model(); Adam adam = Adam.adam(engine, 0.01)) {
      SemiSupervisedTraining training = new SemiSupervisedTraining(model, Inputs.data(2), 1.0, 1.0);
      TrainingState state = TrainingCheckpoints.restore(saved, training, adam);
      List<EpochMetrics> rest = new Trainer(training, adam, config(3, 50), state).fit(paired,
          new SemiSupervisedEvaluation(model, Inputs.data(2), null, null, 9));
      assertThat(rest).extracting(EpochMetrics::epoch).containsExactly(3);
      assertThat(rest.get(0).step()).isEqualTo(3L * paired.batchesPerEpoch());
      assertThat(flatten(model.parameters())).containsExactly(straight);
    }
  }

  private static double[] flatten(List<Parameter> parameters) {
    return parameters.stream().flatMapToDouble(p -> java.util.Arrays.stream(p.toDoubles())).toArray();
  }
}
