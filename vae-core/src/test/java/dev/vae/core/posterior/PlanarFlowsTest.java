package dev.vae.core.posterior;

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
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.eval.LinearGaussianDecoder;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.UnitGaussianLikelihood;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Planar flows: the log-determinant against the numerical Jacobian, invertibility and a density that
 * integrates to 1 in two dimensions, gradients against finite differences, and a model that trains
 * with them.
 */
class PlanarFlowsTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  /** Three steps in two dimensions with parameters far from the identity (w·u of the second below −1). */
  private PlanarFlows flows() {
    return flows(1.0);
  }

  /** The same steps with every u scaled. */
  private PlanarFlows flows(double uScale) {
    PlanarFlows flows = new PlanarFlows(engine, 3, 2, new Rng(1), DType.FLOAT64);
    double[][] values = {{1.5, -0.5}, {0.8, 1.2}, {0.3}, {-2.0, 1.0}, {1.0, 0.5}, {-0.4}, {0.7, 0.7}, {-1.1, 0.4},
        {1.0}};
    List<Parameter> parameters = flows.parameters();
    for (int i = 0; i < parameters.size(); i++) {
      double[] v = values[i].clone();
      if (i % 3 == 0) {
        int row = i;
        java.util.Arrays.setAll(v, j -> uScale * values[row][j]);
      }
      parameters.get(i).replace(engine.backend().fromHost(v, parameters.get(i).shape(), DType.FLOAT64));
    }
    return flows;
  }

  private double[] map(PlanarFlows flows, double[] z0) {
    try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
      return flows.forward(engine.fromHost(z0, Shape.of(1, 2), DType.FLOAT64), null).z().toDoubles();
    }
  }

  private double logDeterminant(PlanarFlows flows, double[] z0) {
    try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
      return flows.forward(engine.fromHost(z0, Shape.of(1, 2), DType.FLOAT64), null).logDeterminant().item();
    }
  }

  @Test
  void theLogDeterminantIsThatOfTheNumericalJacobian() {
    PlanarFlows flows = flows();
    Random random = new Random(2);
    for (int trial = 0; trial < 5; trial++) {
      double[] z = {random.nextGaussian(), random.nextGaussian()};
      double numeric = FlowDensity.logAbsDeterminant(FlowDensity.jacobian(z0 -> map(flows, z0), z));
      assertThat(logDeterminant(flows, z)).as("trial %d", trial).isCloseTo(numeric, within(1e-7));
    }
  }

  @Test
  void theFlowsDensityIntegratesToOneInTwoDimensions() {
    // Half the u of the other tests, so that the midpoint rule on a 0.1 grid over [-8, 8]² is accurate to 1e-3.
    PlanarFlows flows = flows(0.5);
    assertThat(FlowDensity.integral(z0 -> map(flows, z0), z0 -> logDeterminant(flows, z0), 8, 160))
        .isCloseTo(1.0, within(2e-3));
  }

  @Test
  void everyStepStaysInvertibleWhateverItsParameters() {
    // One dimension, w·u = -3 before the correction: the map must still increase everywhere.
    PlanarFlows flows = new PlanarFlows(engine, 1, 1, new Rng(3), DType.FLOAT64);
    List<Parameter> p = flows.parameters();
    p.get(0).replace(engine.backend().fromHost(new double[] {-3}, Shape.of(1), DType.FLOAT64));
    p.get(1).replace(engine.backend().fromHost(new double[] {1}, Shape.of(1), DType.FLOAT64));
    double previous = Double.NEGATIVE_INFINITY;
    try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
      double[] grid = new double[401];
      java.util.Arrays.setAll(grid, i -> -4 + i * 0.02);
      double[] mapped = flows.forward(engine.fromHost(grid, Shape.of(401, 1), DType.FLOAT64), null).z().toDoubles();
      for (double value : mapped) {
        assertThat(value).isGreaterThan(previous);
        previous = value;
      }
    }
  }

  @Test
  void gradientsThroughTheFlowsMatchFiniteDifferences() {
    PlanarFlows flows = flows();
    GradientCheck check = new GradientCheck(engine, 4);
    Shape batch = Shape.of(5, 2);
    check.check("planar flows, z", in -> flows.forward(in.get(0), null).z(), List.of(batch), List.of(check.normal(batch)));
    check.check("planar flows, log-determinant", in -> flows.forward(in.get(0), null).logDeterminant(), List.of(batch),
        List.of(check.normal(batch)));
    double[] z = check.normal(batch);
    Tensor fixed = engine.fromHost(z, batch, DType.FLOAT64);
    check.check("a planar step in its parameters", in -> PlanarFlows.step(fixed, in.get(0), in.get(1), in.get(2))
        .logDeterminant().add(PlanarFlows.step(fixed, in.get(0), in.get(1), in.get(2)).z().sum(false, 1)),
        List.of(Shape.of(2), Shape.of(2), Shape.of(1)), List.of(new double[] {-2.0, 1.0}, new double[] {1.0, 0.5},
            new double[] {-0.4}));
  }

  @Test
  void theElboThroughTheFlowsIsTheOneComputedByHandFromTheSameDraws() {
    // A linear Gaussian decoder (x = z·W + b + N(0, I)): with the same draws z₀ of the base posterior,
    // log p(x|z) + log p(z) − log q₀(z₀) + Σ log|det J|, z = f(z₀), written out on the host.
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(LinearGaussianDecoder.M)).hidden()
        .latent(LinearGaussianDecoder.D).dtype(DType.FLOAT64).posterior(new PlanarFlows.Provider(), Options.parse("steps=3")).seed(8).build()) {
      new LinearGaussianDecoder(engine, vae);
      double[][] values = {{1.5, -0.5}, {0.8, 1.2}, {0.3}, {-2.0, 1.0}, {1.0, 0.5}, {-0.4}, {0.7, 0.7}, {-1.1, 0.4},
          {1.0}};
      List<Parameter> flow = vae.parameters().stream().filter(p -> p.name().startsWith("flow.")).toList();
      for (int i = 0; i < flow.size(); i++) {
        flow.get(i).replace(engine.backend().fromHost(values[i], flow.get(i).shape(), DType.FLOAT64));
      }
      double[] weight = vae.decoder().parameters().get(0).toDoubles();
      double[] bias = vae.decoder().parameters().get(1).toDoubles();
      int n = 3;
      int samples = 4;
      int m = LinearGaussianDecoder.M;
      float[] data = LinearGaussianDecoder.data(n, 9);
      try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
        Tensor x = engine.fromHost(data, Shape.of(n, m)).cast(DType.FLOAT64);
        Posterior flowed = vae.encode(x);
        DiagonalGaussianPosterior q = flowed.base();
        double[] z0 = q.sample(samples, new Rng(11)).z().toDoubles();
        double[] mean = q.mean().toDoubles();
        double[] logVariance = q.logVariance().toDoubles();
        ObjectiveTerms terms = vae.elboTerms(x, flowed, new Rng(11), samples);
        double[] elbo = terms.reconstruction().sub(terms.kl()).toDoubles();
        for (int e = 0; e < n; e++) {
          double byHand = 0;
          for (int s = 0; s < samples; s++) {
            double[] z = {z0[(s * n + e) * 2], z0[(s * n + e) * 2 + 1]};
            double logQ = 0;
            for (int j = 0; j < 2; j++) {
              double v = Math.exp(logVariance[e * 2 + j]);
              double dz = z[j] - mean[e * 2 + j];
              logQ += -0.5 * Math.log(2 * Math.PI * v) - dz * dz / (2 * v);
            }
            for (int k = 0; k < 3; k++) {
              double[] u = values[3 * k];
              double[] w = values[3 * k + 1];
              double wu = w[0] * u[0] + w[1] * u[1];
              double wuHat = -1 + Math.log1p(Math.exp(wu));
              double norm = w[0] * w[0] + w[1] * w[1];
              double h = Math.tanh(w[0] * z[0] + w[1] * z[1] + values[3 * k + 2][0]);
              for (int j = 0; j < 2; j++) {
                z[j] += (u[j] + (wuHat - wu) * w[j] / norm) * h;
              }
              logQ -= Math.log(1 + (1 - h * h) * wuHat);
            }
            double logLikelihood = -0.5 * m * Math.log(2 * Math.PI);
            for (int i = 0; i < m; i++) {
              double r = data[e * m + i] - (z[0] * weight[i] + z[1] * weight[m + i] + bias[i]);
              logLikelihood -= 0.5 * r * r;
            }
            double logPrior = -Math.log(2 * Math.PI) - 0.5 * (z[0] * z[0] + z[1] * z[1]);
            byHand += (logLikelihood + logPrior - logQ) / samples;
          }
          assertThat(elbo[e]).as("example %d", e).isCloseTo(byHand, within(1e-9));
        }
      }
    }
  }

  @Test
  void aModelWithFlowsTrainsAndItsDescriptionKeepsThem() {
    DataSet data = SyntheticData.ppca(300, 6, 2, 0.3, new Rng(5)).data();
    TrainerConfig config = TrainerConfig.defaults().toBuilder().epochs(3).batchSize(50).learningRate(1e-2).build();
    try (Vae vae = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(6)).hidden(8).latent(2)
        .dtype(DType.FLOAT64).posterior(new PlanarFlows.Provider(), Options.parse("steps=2")).seed(6).build(); Adam adam = Adam.adam(engine, config.learningRate())) {
      assertThat(vae.parameters()).extracting(Parameter::name).contains("flow.0.u", "flow.1.b");
      assertThat(vae.describe()).contains("2 planar flow steps");
      double[] before = vae.parameters().stream().filter(p -> p.name().equals("flow.1.w")).findFirst().orElseThrow()
          .toDoubles();
      new Trainer(vae, adam, config).fit(Batches.of(data).batchSize(50).seed(1).build(), null);
      double[] after = vae.parameters().stream().filter(p -> p.name().equals("flow.1.w")).findFirst().orElseThrow()
          .toDoubles();
      assertThat(after).isNotEqualTo(before);
      try (MemoryScope scope = engine.scope()) {
        Tensor x = engine.fromHost(data.toArray(), Shape.of(data.size(), 6)).cast(DType.FLOAT64);
        assertThat(vae.terms(x, new Rng(7), 1).klPerDimension()).as("no closed-form KL through flows").isEmpty();
      }
    }
    ModelSpec spec = new ModelSpec(6, new int[] {8}, 2, Activation.RELU, "unit-gaussian", Map.of(), "elbo", Map.of(),
        DType.FLOAT64, 1, "mlp", Map.of(), null, null, "standard-normal", Map.of(), "planar", Map.of("steps", "3"));
    assertThat(ModelSpec.fromMap(spec.toMap())).isEqualTo(spec);
    Map<String, String> before = new LinkedHashMap<>(spec.toMap());
    before.remove("model.posterior");
    before.remove("model.posterior-options");
    before.put("model.flow-steps", "3");
    assertThat(ModelSpec.fromMap(before)).as("a description written before posteriors were plugins").isEqualTo(spec);
    assertThatIllegalArgumentException().isThrownBy(() -> new PlanarFlows(engine, 0, 2, new Rng(1), DType.FLOAT64))
        .withMessageContaining("at least 1");
  }
}
