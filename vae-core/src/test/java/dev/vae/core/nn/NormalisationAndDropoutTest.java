package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch and layer normalisation against PyTorch's values (torch 1.13, float64) and finite
 * differences, and dropout's mask: its rate, its scale, its seed, and nothing in evaluation.
 */
class NormalisationAndDropoutTest {
  private final Engine engine = new Engine(new ReferenceBackend());
  private final Mode mode = new Mode();
  private MemoryScope scope;

  @BeforeEach
  void open() {
    scope = engine.scope();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  /** x = ((arange(24) % 7) − 2.5).reshape(2, 3, 2, 2) · 0.5. */
  private Tensor images() {
    double[] x = new double[24];
    Arrays.setAll(x, i -> (i % 7 - 2.5) * 0.5);
    return engine.fromHost(x, Shape.of(2, 3, 2, 2), DType.FLOAT64);
  }

  @Test
  void batchNormMatchesPyTorchInTrainingAndThenInEvaluation() {
    BatchNorm norm = new BatchNorm("bn", engine, 3, mode, DType.FLOAT64);
    Tensor trained = mode.training(new Rng(1), () -> norm.forward(images()));
    assertThat(norm.buffers().get(0).toDoubles()).as("nothing changes before the step is taken")
        .containsExactly(0, 0, 0);
    mode.commit();
    assertThat(trained.toDoubles()).containsExactly(new double[] {-1.068098678419, -0.593388154677, -0.118677630935,
        0.356032892806, 0.208513124705, 0.764548123917, 1.320583123129, -2.015626872144, -0.764548123917,
        -0.208513124705, 0.347521874508, 0.90355687372, 1.30545394029, 1.780164464032, -1.068098678419,
        -0.593388154677, -0.90355687372, -0.347521874508, 0.208513124705, 0.764548123917, 2.015626872144,
        -1.320583123129, -0.764548123917, -0.208513124705}, within(1e-11));
    assertThat(norm.buffers().get(0).toDoubles()).as("running mean")
        .containsExactly(new double[] {-0.0125, 0.05625, -0.00625}, within(1e-15));
    assertThat(norm.buffers().get(1).toDoubles()).as("running variance, from the unbiased batch variance")
        .containsExactly(new double[] {1.0267857142857144, 0.9924107142857144, 0.9924107142857144}, within(1e-15));
    assertThat(Arrays.copyOf(norm.forward(images()).toDoubles(), 6)).as("evaluation, by the running estimates")
        .containsExactly(new double[] {-1.22124608347, -0.727813322472, -0.234380561474, 0.259052199524,
            0.69639410458, 1.198299765538}, within(1e-11));
    assertThat(norm.parameters()).extracting(Parameter::name).containsExactly("bn.weight", "bn.bias");
    assertThat(norm.buffers()).extracting(Parameter::name).containsExactly("bn.running_mean", "bn.running_var");
  }

  @Test
  void aSkippedStepLeavesTheRunningEstimatesAndAPassCountsALayersFirstRunOnly() {
    BatchNorm norm = new BatchNorm("bn", engine, 3, mode, DType.FLOAT64);
    mode.training(new Rng(1), () -> norm.forward(images()));
    mode.training(new Rng(2), () -> norm.forward(images().mul(3)));
    mode.discard();
    assertThat(norm.buffers().get(1).toDoubles()).as("two passes whose steps were skipped").containsExactly(1, 1, 1);
    mode.training(new Rng(3), () -> norm.forward(images()).add(norm.forward(images().mul(100))));
    mode.commit();
    assertThat(norm.buffers().get(0).toDoubles()).as("the first run of the pass, as in the PyTorch case above")
        .containsExactly(new double[] {-0.0125, 0.05625, -0.00625}, within(1e-15));
    assertThatIllegalArgumentException().isThrownBy(() -> mode.training(new Rng(4), () -> norm.forward(
        engine.full(Shape.of(1, 3), DType.FLOAT64, 1)))).withMessageContainingAll("bn", "more than one", "[1, 3]");
  }

  @Test
  void layerNormMatchesPyTorch() {
    LayerNorm norm = new LayerNorm("ln", engine, Shape.of(3, 2, 2), DType.FLOAT64);
    assertThat(Arrays.copyOf(norm.forward(images()).toDoubles(), 6)).containsExactly(new double[] {-1.399002209524,
        -0.857452967128, -0.315903724731, 0.225645517665, 0.767194760062, 1.308744002458}, within(1e-11));
    assertThatIllegalArgumentException().isThrownBy(() -> norm.forward(engine.full(Shape.of(2, 3, 4), DType.FLOAT64,
        0))).withMessageContainingAll("ln", "[3, 2, 2]", "[2, 3, 4]");
  }

  @Test
  void groupNormMatchesItsDefinition() {
    GroupNorm norm = new GroupNorm("gn", engine, 2, 4, DType.FLOAT64);
    norm.parameters().get(0).replace(engine.backend().fromHost(new double[] {1, 2, 0.5, -1}, Shape.of(4),
        DType.FLOAT64));
    norm.parameters().get(1).replace(engine.backend().fromHost(new double[] {0, 0.1, 0.2, 0.3}, Shape.of(4),
        DType.FLOAT64));
    double[] x = new double[32];
    Arrays.setAll(x, i -> (i % 7 - 2.5) * 0.5 + 0.1 * (i % 3));
    double[] y = norm.forward(engine.fromHost(x, Shape.of(2, 4, 2, 2), DType.FLOAT64)).toDoubles();
    // The definition in numpy (float64); torch.nn.GroupNorm(2, 4) of PyTorch 1.13 agrees to 2e-9.
    assertThat(Arrays.copyOf(y, 10)).containsExactly(new double[] {-1.314099323528, -0.750913899159,
        -0.187728474790, 0.093864237395, 1.414099323528, 2.540470172266, 3.103655596635, -2.340470172266,
        -0.196652233759, -0.043109433594}, within(1e-11));
    assertThat(Arrays.copyOfRange(y, 28, 32)).containsExactly(new double[] {1.907658402439, 1.259191147673,
        0.934957520291, 0.286490265526}, within(1e-11));
    assertThatIllegalArgumentException().isThrownBy(() -> new GroupNorm("gn", engine, 3, 4, DType.FLOAT64))
        .withMessageContainingAll("gn", "3 groups", "4 channels");
    assertThatIllegalArgumentException().isThrownBy(() -> norm.forward(engine.full(Shape.of(2, 3, 2, 2),
        DType.FLOAT64, 0))).withMessageContainingAll("gn", "4 channels", "[2, 3, 2, 2]");
  }

  @Test
  void normalisationGradientsMatchFiniteDifferences() {
    GradientCheck check = new GradientCheck(engine, 5);
    BatchNorm batch = new BatchNorm("bn", engine, 3, mode, DType.FLOAT64);
    Shape images = Shape.of(4, 3, 2, 3);
    check.check("batch norm in training", in -> mode.training(new Rng(1), () -> batch.forward(in.get(0))),
        List.of(images), List.of(check.normal(images)));
    Shape features = Shape.of(5, 3);
    check.check("batch norm of features", in -> mode.training(new Rng(1), () -> batch.forward(in.get(0))),
        List.of(features), List.of(check.normal(features)));
    LayerNorm layer = new LayerNorm("ln", engine, Shape.of(3, 2, 3), DType.FLOAT64);
    check.check("layer norm", in -> layer.forward(in.get(0)), List.of(images), List.of(check.normal(images)));
    GroupNorm group = new GroupNorm("gn", engine, 3, 3, DType.FLOAT64);
    check.check("group norm", in -> group.forward(in.get(0)), List.of(images), List.of(check.normal(images)));
  }

  @Test
  void dropoutDropsAtItsRateScalesTheRestAndRepeatsForTheSameStream() {
    Dropout dropout = new Dropout("drop", 0.3, mode);
    Tensor ones = engine.full(Shape.of(200, 500), DType.FLOAT64, 1.0);
    assertThat(dropout.forward(ones)).as("evaluation is the identity").isSameAs(ones);
    double[] first = mode.training(new Rng(9), () -> dropout.forward(ones)).toDoubles();
    long dropped = Arrays.stream(first).filter(v -> v == 0).count();
    // Binomial(100000, 0.3): standard deviation 145.
    assertThat(dropped).isBetween(30_000L - 600, 30_000L + 600);
    assertThat(Arrays.stream(first).filter(v -> v != 0).distinct()).containsExactly(1 / 0.7);
    assertThat(mode.training(new Rng(9), () -> dropout.forward(ones)).toDoubles()).containsExactly(first);
    assertThat(mode.training(new Rng(10), () -> dropout.forward(ones)).toDoubles()).isNotEqualTo(first);
    assertThatIllegalArgumentException().isThrownBy(() -> new Dropout("drop", 1.0, mode))
        .withMessageContainingAll("drop", "[0, 1)", "1.0");
  }
}
