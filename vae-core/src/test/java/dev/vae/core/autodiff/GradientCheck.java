package dev.vae.core.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Compares reverse-mode gradients with central finite differences in float64, along random
 * directions (as JAX's check_grads does): for a random cotangent R and direction v,
 * d/dh sum(R · f(x + h v)) at 0 must equal sum over inputs of grad · v.
 */
public final class GradientCheck {
  private final Engine engine;
  private final Random random;
  private double step = 1e-6;
  private double tolerance = 1e-6;

  public GradientCheck(Engine engine, long seed) {
    this.engine = engine;
    this.random = new Random(seed);
  }

  public GradientCheck step(double h) {
    this.step = h;
    return this;
  }

  public GradientCheck tolerance(double tol) {
    this.tolerance = tol;
    return this;
  }

  /** Standard normal inputs of the given shape. */
  public double[] normal(Shape shape) {
    double[] v = new double[shape.sizeAsInt()];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian();
    }
    return v;
  }

  /** Inputs uniform in [lo, hi), for ops with a restricted domain. */
  public double[] uniform(Shape shape, double lo, double hi) {
    double[] v = new double[shape.sizeAsInt()];
    for (int i = 0; i < v.length; i++) {
      v[i] = lo + (hi - lo) * random.nextDouble();
    }
    return v;
  }

  /** Checks f at the given inputs along three random directions. */
  public void check(String what, Function<List<Tensor>, Tensor> f, List<Shape> shapes, List<double[]> values) {
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      inputs.add(engine.variable(engine.backend().fromHost(values.get(i), shapes.get(i), DType.FLOAT64)));
    }
    Tensor out = f.apply(inputs);
    double[] cotangent = normal(out.shape());
    Tensor r = engine.fromHost(cotangent, out.shape(), DType.FLOAT64);
    Tensor loss = out.mul(r).sum();
    List<Tensor> grads = engine.gradients(loss, inputs);
    for (int k = 0; k < shapes.size(); k++) {
      assertThat(grads.get(k).shape()).as("%s: gradient shape of input %d", what, k).isEqualTo(shapes.get(k));
    }
    for (int trial = 0; trial < 3; trial++) {
      List<double[]> direction = new ArrayList<>();
      double analytic = 0;
      for (int k = 0; k < shapes.size(); k++) {
        double[] v = normal(shapes.get(k));
        direction.add(v);
        double[] g = grads.get(k).toDoubles();
        for (int i = 0; i < v.length; i++) {
          analytic += g[i] * v[i];
        }
      }
      double plus = evaluate(f, shapes, values, direction, step, cotangent);
      double minus = evaluate(f, shapes, values, direction, -step, cotangent);
      double numeric = (plus - minus) / (2 * step);
      assertThat(analytic).as("%s: directional derivative (trial %d), numeric %s", what, trial, numeric)
          .isCloseTo(numeric, org.assertj.core.data.Offset.offset(tolerance * (1 + Math.abs(numeric))));
    }
  }

  private double evaluate(Function<List<Tensor>, Tensor> f, List<Shape> shapes, List<double[]> values,
      List<double[]> direction, double h, double[] cotangent) {
    try (Engine.NoGrad ignored = engine.noGrad()) {
      List<Tensor> moved = new ArrayList<>();
      for (int k = 0; k < shapes.size(); k++) {
        double[] x = values.get(k).clone();
        double[] v = direction.get(k);
        for (int i = 0; i < x.length; i++) {
          x[i] += h * v[i];
        }
        moved.add(engine.fromHost(x, shapes.get(k), DType.FLOAT64));
      }
      double[] out = f.apply(moved).toDoubles();
      double sum = 0;
      for (int i = 0; i < out.length; i++) {
        sum += out[i] * cotangent[i];
      }
      return sum;
    }
  }
}
