package dev.vae.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.eval.LinearGaussianDecoder;
import dev.vae.core.model.DiagonalGaussianPosterior;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.UnitGaussianLikelihood;
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
      return flows.forward(engine.fromHost(z0, Shape.of(1, 2), DType.FLOAT64)).z().toDoubles();
    }
  }

  private double logDeterminant(PlanarFlows flows, double[] z0) {
    try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
      return flows.forward(engine.fromHost(z0, Shape.of(1, 2), DType.FLOAT64)).logDeterminant().item();
    }
  }

  @Test
  void theLogDeterminantIsThatOfTheNumericalJacobian() {
    PlanarFlows flows = flows();
    Random random = new Random(2);
    double h = 1e-6;
    for (int trial = 0; trial < 5; trial++) {
      double[] z = {random.nextGaussian(), random.nextGaussian()};
      double[][] jacobian = new double[2][2];
      for (int j = 0; j < 2; j++) {
        double[] plus = z.clone();
        double[] minus = z.clone();
        plus[j] += h;
        minus[j] -= h;
        double[] fp = map(flows, plus);
        double[] fm = map(flows, minus);
        for (int i = 0; i < 2; i++) {
          jacobian[i][j] = (fp[i] - fm[i]) / (2 * h);
        }
      }
      double numeric = Math.log(Math.abs(jacobian[0][0] * jacobian[1][1] - jacobian[0][1] * jacobian[1][0]));
      assertThat(logDeterminant(flows, z)).as("trial %d", trial).isCloseTo(numeric, within(1e-7));
    }
  }

  @Test
  void theFlowsDensityIntegratesToOneInTwoDimensions() {
    // q_K(z) = N(f⁻¹(z); 0, I) / |det J(f⁻¹(z))|, f inverted by Newton's method on a grid over [-8, 8]²;
    // half the u of the other tests, so that the midpoint rule on a 0.1 grid is accurate to 1e-3.
    PlanarFlows flows = flows(0.5);
    int cells = 160;
    double lo = -8;
    double width = 16.0 / cells;
    double total = 0;
    for (int a = 0; a < cells; a++) {
      for (int c = 0; c < cells; c++) {
        double[] target = {lo + (a + 0.5) * width, lo + (c + 0.5) * width};
        double[] z0 = invert(flows, target);
        double base = Math.exp(-0.5 * (z0[0] * z0[0] + z0[1] * z0[1])) / (2 * Math.PI);
        total += base * Math.exp(-logDeterminant(flows, z0)) * width * width;
      }
    }
    assertThat(total).isCloseTo(1.0, within(2e-3));
  }

  private double[] invert(PlanarFlows flows, double[] target) {
    double[] z = target.clone();
    double h = 1e-6;
    for (int iteration = 0; iteration < 60; iteration++) {
      double[] f = map(flows, z);
      double[] r = {f[0] - target[0], f[1] - target[1]};
      if (Math.abs(r[0]) + Math.abs(r[1]) < 1e-11) {
        return z;
      }
      double[][] j = new double[2][2];
      for (int k = 0; k < 2; k++) {
        double[] plus = z.clone();
        plus[k] += h;
        double[] fp = map(flows, plus);
        j[0][k] = (fp[0] - f[0]) / h;
        j[1][k] = (fp[1] - f[1]) / h;
      }
      double det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
      z[0] -= (j[1][1] * r[0] - j[0][1] * r[1]) / det;
      z[1] -= (-j[1][0] * r[0] + j[0][0] * r[1]) / det;
    }
    throw new AssertionError("Newton's method did not invert the flow at " + java.util.Arrays.toString(target));
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
      double[] mapped = flows.forward(engine.fromHost(grid, Shape.of(401, 1), DType.FLOAT64)).z().toDoubles();
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
    check.check("planar flows, z", in -> flows.forward(in.get(0)).z(), List.of(batch), List.of(check.normal(batch)));
    check.check("planar flows, log-determinant", in -> flows.forward(in.get(0)).logDeterminant(), List.of(batch),
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
        .latent(LinearGaussianDecoder.D).dtype(DType.FLOAT64).flowSteps(3).seed(8).build()) {
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
        DiagonalGaussianPosterior q = vae.encode(x);
        double[] z0 = q.sample(samples, new Rng(11)).toDoubles();
        double[] mean = q.mean().toDoubles();
        double[] logVariance = q.logVariance().toDoubles();
        ObjectiveTerms terms = vae.elboTerms(x, q, new Rng(11), samples);
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
        .dtype(DType.FLOAT64).flowSteps(2).seed(6).build(); Adam adam = Adam.adam(engine, config.learningRate())) {
      assertThat(vae.parameters()).extracting(Parameter::name).contains("flow.0.u", "flow.1.b");
      assertThat(vae.describe()).contains("2 planar flows");
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
        DType.FLOAT64, 1, "mlp", Map.of(), null, null, "standard-normal", Map.of(), 3);
    assertThat(ModelSpec.fromMap(spec.toMap()).flowSteps()).isEqualTo(3);
    assertThatIllegalArgumentException().isThrownBy(() -> new PlanarFlows(engine, 0, 2, new Rng(1), DType.FLOAT64))
        .withMessageContaining("at least 1");
  }
}
