package dev.vae.examples.cli;

import dev.vae.api.Rng;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.eval.LayerKl;
import dev.vae.core.eval.Pca;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.model.Vae;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.plugin.VariantRegistry;
import dev.vae.core.run.RecordedOptions;
import dev.vae.core.run.RunDirectory;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.TrainingCheckpoints;
import java.io.IOException;
import java.util.Optional;

/**
 * A trained model read back from the newest checkpoint of a run directory, with the run's data;
 * its likelihood's estimates (a calibrated σ) are fixed at their saved values.
 */
record LoadedRun(Vae vae, TrainerConfig config, RunData data, Checkpoint checkpoint) implements AutoCloseable {
  /** Test examples encoded and decoded together by evaluations. */
  static final int EVALUATION_BATCH = 100;

  static LoadedRun open(RunOptions run) throws IOException {
    Checkpoint c = RunDirectory.of(run.run, TrainCommand.COMMAND).newestCheckpoint();
    Engine engine = run.engine();
    Vae vae = TrainingCheckpoints.modelSpec(c).build(engine, LikelihoodRegistry.discover(), VariantRegistry.discover());
    TrainingCheckpoints.loadParameters(c, vae);
    TrainingCheckpoints.loadEstimates(c, vae);
    TrainerConfig config = TrainingCheckpoints.trainerConfig(c);
    DataChoice data = DataChoice.fromOptions(RecordedOptions.fromConfig(c.config()));
    return new LoadedRun(vae, config, RunData.load(run, data, RunData.binarization(c), config.seed(),
        RunData.recordedStandardization(c)), c);
  }

  /**
   * The model measured on the first n test images as evaluations see them ({@link Evaluation#run}),
   * batches of {@link #EVALUATION_BATCH}, the noise seeded from the run's seed; k = 0 skips the importance-sampled
   * estimate and a null {@code pca} the PCA baseline.
   */
  Evaluation.Report evaluateOnTest(int n, int k, int chunk, Pca pca) {
    return Evaluation.run(vae, data.firstTestImages(n), n, EVALUATION_BATCH, k, chunk, pca,
        new Rng(config.seed()).fork(99));
  }

  /** The KL and diagnostics of each stochastic layer on the first n test images, for a two-layer model. */
  Optional<LayerKl> layersOnTest(int n) {
    return LayerKl.measure(vae, data.firstTestImages(n), n, EVALUATION_BATCH, new Rng(config.seed()).fork(97));
  }

  @Override
  public void close() {
    vae.close();
  }
}
