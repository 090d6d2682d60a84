package dev.vae.core.semisupervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Parameter;
import dev.vae.core.plugin.LikelihoodRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Reverse-mode gradients through both objectives against central finite differences in float64:
 * with respect to every parameter (along random directions), and with respect to the data through
 * vae-core's {@link GradientCheck}. The noise ε is the same in every evaluation (a fresh Rng of one
 * seed), so the objective is a deterministic function of parameters and data.
 */
class SemiSupervisedGradientTest {
  private static final int M = 3;
  private static final int K = 3;
  private static final int[] LABELS = {1, 2};

  private final Engine engine = new Engine(new ReferenceBackend());

  private SemiSupervisedModel model() {
    return model(1.0);
  }

  private SemiSupervisedModel model(double klWeight) {
    return new SemiSupervisedModel(engine, LikelihoodRegistry.discover().create("gaussian", M,
        new Options(Map.of("sigma", "learned"))), K, 4, 3, 2, Activation.TANH, DType.FLOAT64, 21, klWeight);
  }

  private static final double[] LABELLED = {0.3, -1.2, 0.8, 1.5, 0.1, -0.4};
  private static final double[] UNLABELLED = {-0.7, 0.2, 1.1, 0.5, -1.3, 0.6, 0.0, 0.9, -0.2};

  private Tensor data(double[] values) {
    return engine.fromHost(values, Shape.of(values.length / M, M), DType.FLOAT64);
  }

  @Test
  void parameterGradientsOfTheLabelledObjectiveMatchFiniteDifferences() {
    try (SemiSupervisedModel model = model()) {
      checkParameters(model, rng -> {
        SemiSupervisedModel.Terms terms = model.objective(data(LABELLED), LABELS, data(UNLABELLED), 0.8, rng);
        return terms.negativeBound().add(terms.crossEntropy().mul(0.8));
      });
    }
  }

  @Test
  void parameterGradientsOfTheUnlabelledObjectiveMatchFiniteDifferences() {
    for (double klWeight : new double[] {1.0, 3.0}) {
      try (SemiSupervisedModel model = model(klWeight)) {
        checkParameters(model, rng -> model.unlabelledLoss(data(UNLABELLED), rng).mean());
      }
    }
  }

  @Test
  void dataGradientsOfBothObjectivesMatchFiniteDifferences() {
    try (SemiSupervisedModel model = model()) {
      GradientCheck check = new GradientCheck(engine, 4).tolerance(1e-5);
      check.check("labelled objective", in -> model.objective(in.get(0), LABELS, in.get(1), 0.6, new Rng(7)).loss(),
          List.of(Shape.of(2, M), Shape.of(3, M)), List.of(LABELLED, UNLABELLED));
      check.check("unlabelled objective U(x)", in -> model.unlabelledLoss(in.get(0), new Rng(8)),
          List.of(Shape.of(3, M)), List.of(UNLABELLED));
    }
  }

  /**
   * d/dh f(θ + h v) at 0 by central differences, against Σ ∇f · v, along three random directions v
   * over all parameters at once; f gets a fresh Rng(1) each time.
   */
  private void checkParameters(SemiSupervisedModel model, Function<Rng, Tensor> objective) {
    List<Parameter> params = model.parameters();
    List<double[]> start = new ArrayList<>();
    params.forEach(p -> start.add(p.toDoubles()));
    List<Tensor> grads = engine.gradients(objective.apply(new Rng(1)), params.stream().map(Parameter::tensor).toList());
    List<double[]> g = grads.stream().map(Tensor::toDoubles).toList();
    Random random = new Random(3);
    double h = 1e-6;
    for (int trial = 0; trial < 3; trial++) {
      List<double[]> direction = new ArrayList<>();
      double analytic = 0;
      for (int k = 0; k < params.size(); k++) {
        double[] v = new double[start.get(k).length];
        for (int i = 0; i < v.length; i++) {
          v[i] = random.nextGaussian();
          analytic += g.get(k)[i] * v[i];
        }
        direction.add(v);
      }
      double plus = evaluateAt(model, start, direction, h, objective);
      double minus = evaluateAt(model, start, direction, -h, objective);
      double numeric = (plus - minus) / (2 * h);
      assertThat(analytic).as("directional derivative %d over %d parameters", trial, params.size())
          .isCloseTo(numeric, within(1e-5 * (1 + Math.abs(numeric))));
      set(model, start, direction, 0);
    }
    assertThat(g.stream().mapToDouble(a -> java.util.Arrays.stream(a).map(Math::abs).sum()).sum())
        .as("the objective depends on the parameters").isGreaterThan(1e-3);
  }

  private double evaluateAt(SemiSupervisedModel model, List<double[]> start, List<double[]> direction, double h,
      Function<Rng, Tensor> objective) {
    set(model, start, direction, h);
    try (Engine.NoGrad noGrad = engine.noGrad()) {
      return objective.apply(new Rng(1)).item();
    }
  }

  private void set(SemiSupervisedModel model, List<double[]> start, List<double[]> direction, double h) {
    List<Parameter> params = model.parameters();
    for (int k = 0; k < params.size(); k++) {
      double[] values = start.get(k).clone();
      for (int i = 0; i < values.length; i++) {
        values[i] += h * direction.get(k)[i];
      }
      try (MemoryScope scope = engine.scope()) {
        params.get(k).replace(scope.detach(engine.backend().fromHost(values, params.get(k).shape(), DType.FLOAT64)));
      }
    }
  }
}
