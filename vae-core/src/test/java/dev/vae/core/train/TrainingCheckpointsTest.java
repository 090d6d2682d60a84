package dev.vae.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.Support;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Activation;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.plugin.VariantRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A likelihood's estimates travel with the checkpoint and come back fixed in a reloaded model. */
class TrainingCheckpointsTest {
  private static final String SCALE = "scaled.scale";

  /** N(x; mean, scale²) with the scale an estimate rather than a parameter, 1.5 until fixed. */
  private static final class EstimatedScale extends Likelihood {
    private double scale = 1.5;

    EstimatedScale(int dimension) {
      super(dimension);
    }

    @Override
    public String name() {
      return "scaled";
    }

    @Override
    public int outputsPerDimension() {
      return 1;
    }

    @Override
    public Support support() {
      return Support.REAL;
    }

    @Override
    public Map<String, Double> estimates() {
      return Map.of(SCALE, scale);
    }

    @Override
    public void fixEstimates(Map<String, Double> values) {
      scale = values.get(SCALE);
    }

    @Override
    protected Tensor logDensity(DecoderOutput params, Tensor x) {
      return x.sub(params.raw()).div(scale).square().mul(-0.5).sub(Math.log(scale)).sum(false, 1);
    }

    @Override
    public Tensor mean(DecoderOutput params) {
      return params.raw();
    }

    @Override
    public Tensor sample(DecoderOutput params, Rng rng) {
      return params.raw();
    }
  }

  private static final LikelihoodProvider PROVIDER = new LikelihoodProvider() {
    @Override
    public String name() {
      return "scaled";
    }

    @Override
    public String description() {
      return "a Gaussian with an estimated scale, for tests";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      return new EstimatedScale(dimension);
    }
  };

  private final Engine engine = new Engine(new ReferenceBackend());
  private final LikelihoodRegistry likelihoods = new LikelihoodRegistry(List.of(PROVIDER));
  private final VariantRegistry variants = VariantRegistry.discover();
  private final ModelSpec spec = new ModelSpec(3, new int[] {4}, 2, Activation.TANH, "scaled", Map.of(),
      DType.FLOAT64, 3);

  private Checkpoint captured(double scale) {
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 0.01)) {
      vae.likelihood().fixEstimates(Map.of(SCALE, scale));
      return TrainingCheckpoints.capture(new VaeTraining(vae, 1), adam, TrainerConfig.defaults(), TrainingState.fresh(),
          spec.toMap());
    }
  }

  @Test
  void estimatesAreSavedBesideTheParametersAndFixedOnLoad() {
    Checkpoint c = captured(0.37);
    assertThat(c.parameters().get(SCALE).toDoubles()).containsExactly(0.37);
    try (Vae reloaded = spec.build(engine, likelihoods, variants)) {
      assertThat(reloaded.likelihood().estimates()).containsEntry(SCALE, 1.5);
      TrainingCheckpoints.loadParameters(c, reloaded);
      TrainingCheckpoints.loadEstimates(c, reloaded);
      assertThat(reloaded.likelihood().estimates()).containsEntry(SCALE, 0.37);
    }
  }

  @Test
  void aCheckpointWithoutTheEstimateFailsNamingIt() {
    Checkpoint c = captured(0.37);
    Map<String, dev.vae.core.io.HostTensor> parameters = new HashMap<>(c.parameters());
    parameters.remove(SCALE);
    Checkpoint old = Checkpoint.builder(c.step()).parameters(parameters).config(c.config()).build();
    try (Vae reloaded = spec.build(engine, likelihoods, variants)) {
      TrainingCheckpoints.loadParameters(old, reloaded);
      assertThatThrownBy(() -> TrainingCheckpoints.loadEstimates(old, reloaded))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no one-element estimate " + SCALE).hasMessageContaining("scaled likelihood");
    }
  }

  @Test
  void theTrainersProgressRoundTripsThroughACheckpoint() {
    TrainingState state = TrainingState.restored(7, 700, 0.25, -91.5, 2, 3);
    try (Vae vae = spec.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 0.01)) {
      Checkpoint c = TrainingCheckpoints.capture(new VaeTraining(vae, 1), adam, TrainerConfig.defaults(), state,
          spec.toMap());
      TrainingState back = TrainingCheckpoints.state(c);
      assertThat(back.nextEpoch()).isEqualTo(7);
      assertThat(back.step()).isEqualTo(700);
      assertThat(back.learningRateScale()).isEqualTo(0.25);
      assertThat(back.bestMeasure()).isEqualTo(-91.5);
      assertThat(back.epochsWithoutImprovement()).isEqualTo(2);
      assertThat(back.epochsCollapsed()).as("the collapse detector's count").isEqualTo(3);
    }
  }

  @Test
  void batchNormalisationsRunningStatisticsTravelWithTheCheckpoint() {
    ModelSpec conv = new ModelSpec(64, new int[] {}, 2, Activation.RELU, "scaled", Map.of(), "elbo", Map.of(),
        DType.FLOAT64, 3, "conv", Map.of("base-channels", "2", "depth", "1", "norm", "batch"), null, null,
        "standard-normal", Map.of(), "diagonal-gaussian", Map.of());
    double[] pixels = new double[5 * 64];
    java.util.Arrays.setAll(pixels, i -> Math.sin(i));
    Checkpoint c;
    double[] trained;
    try (Vae vae = conv.build(engine, likelihoods, variants); Adam adam = Adam.adam(engine, 0.01);
        dev.vae.api.backend.MemoryScope scope = engine.scope()) {
      TrainingBatch batch = TrainingBatch.of(engine.fromHost(pixels, dev.vae.api.Shape.of(5, 64), DType.FLOAT64));
      VaeTraining training = new VaeTraining(vae, 1);
      training.objective(batch, new Rng(1), new dev.vae.api.variant.TrainingClock(0, 1));
      training.stepTaken();
      assertThat(vae.buffers()).extracting(p -> p.name()).containsExactly("encoder.conv0.norm.running_mean",
          "encoder.conv0.norm.running_var");
      trained = vae.buffers().get(0).toDoubles();
      assertThat(trained).as("a training pass moved the running mean").isNotEqualTo(new double[2]);
      c = TrainingCheckpoints.capture(new VaeTraining(vae, 1), adam, TrainerConfig.defaults(), TrainingState.fresh(),
          conv.toMap());
    }
    try (Vae reloaded = TrainingCheckpoints.modelSpec(c).build(engine, likelihoods, variants)) {
      TrainingCheckpoints.loadParameters(c, reloaded);
      assertThat(reloaded.buffers().get(0).toDoubles()).containsExactly(trained);
    }
  }
}
