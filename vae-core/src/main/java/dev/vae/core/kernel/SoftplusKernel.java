package dev.vae.core.kernel;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.core.autodiff.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * softplus(x) = log(1 + exp(x)). Composed as max(x, 0) + log1p(exp(−|x|)), accurate for every x,
 * with max(x, 0) written (x + |x|) / 2 so that at x = 0, where both terms have a kink, their
 * subgradients add up to the true derivative 1/2; x is first raised to −{@link Float#MAX_VALUE}, a
 * finite number in both dtypes, so that −∞ gives 0 rather than (−∞ + ∞) / 2. A backend may implement it alone
 * ({@link FusedKernel.Softplus}) or with its slope sigmoid(x) from the same pass
 * ({@link FusedKernel.SoftplusWithSlope}), which is used when the result needs a gradient.
 */
final class SoftplusKernel implements KernelDefinition<FusedKernel.Softplus> {
  @Override
  public Class<FusedKernel.Softplus> kind() {
    return FusedKernel.Softplus.class;
  }

  @Override
  public void check(List<Tensor> inputs) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("softplus takes one tensor, got " + inputs.size());
    }
  }

  @Override
  public Tensor compose(List<Tensor> inputs) {
    Tensor x = inputs.get(0).maximum(-Float.MAX_VALUE);
    Tensor magnitude = x.abs();
    return x.mul(0.5).add(magnitude.mul(0.5)).add(magnitude.neg().exp().log1p());
  }

  @Override
  public Optional<Tensor> fused(Engine engine, List<Tensor> inputs) {
    Tensor x = inputs.get(0);
    NdArray value = engine.arrayOf(x);
    if (!engine.needsGradient(x)) {
      return engine.implementation(FusedKernel.Softplus.class).map(kernel -> engine.wrap(kernel.softplus(value)));
    }
    Optional<FusedKernel.SoftplusWithSlope> withSlope = engine.implementation(FusedKernel.SoftplusWithSlope.class);
    if (withSlope.isPresent()) {
      FusedKernel.ValueAndSlope both = withSlope.get().softplusWithSlope(value);
      return Optional.of(engine.recordWithSlope("SOFTPLUS", both, false, x));
    }
    return engine.implementation(FusedKernel.Softplus.class).map(kernel -> engine.recordWithSlope("SOFTPLUS",
        new FusedKernel.ValueAndSlope(kernel.softplus(value), engine.backend().unary(Op.SIGMOID, value)), false, x));
  }

  /** Random shapes over [−30, 30], a batch of MNIST logits' size over [−90, 90], and the edge cases. */
  @Override
  public List<List<KernelInput>> contractInputs(DType dtype, Random random) {
    List<List<KernelInput>> cases = new ArrayList<>();
    for (Shape shape : List.of(Shape.scalar(), Shape.of(0), Shape.of(7), Shape.of(3, 5), Shape.of(2, 1, 4))) {
      cases.add(List.of(new KernelInput(Kernels.uniform(random, shape, -30, 30), shape, true)));
    }
    cases.add(List.of(new KernelInput(Kernels.uniform(random, Shape.of(128, 784), -90, 90), Shape.of(128, 784),
        true)));
    cases.add(List.of(new KernelInput(new double[] {-1000, 1000, 0, -0.0, 1e-30, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, Double.NaN}, Shape.of(8), true)));
    return cases;
  }
}
