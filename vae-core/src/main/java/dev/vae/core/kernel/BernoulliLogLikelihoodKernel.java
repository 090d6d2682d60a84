package dev.vae.core.kernel;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.FusedKernel;
import dev.vae.core.autodiff.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The Bernoulli log-likelihood of targets x under logits η, summed over each row of a [rows, dims]
 * batch: Σ_j x_j η_j − softplus(η_j), what binary cross-entropy with logits computes (negated).
 * Inputs: the logits, then the targets. A backend's implementation gives the slope with respect to
 * the logits, x − sigmoid(η), from the same pass; it is used when the targets need no gradient (the
 * composition differentiates both).
 */
final class BernoulliLogLikelihoodKernel implements KernelDefinition<FusedKernel.BernoulliLogLikelihood> {
  @Override
  public Class<FusedKernel.BernoulliLogLikelihood> kind() {
    return FusedKernel.BernoulliLogLikelihood.class;
  }

  @Override
  public void check(List<Tensor> inputs) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException("the Bernoulli log-likelihood takes the logits and the targets, got "
          + inputs.size() + " tensors");
    }
    Tensor logits = inputs.get(0);
    Tensor x = inputs.get(1);
    if (logits.shape().rank() != 2 || !x.shape().equals(logits.shape()) || x.dtype() != logits.dtype()) {
      throw new IllegalArgumentException("the Bernoulli log-likelihood needs logits and targets of one [rows, dims] "
          + "shape and dtype, got " + logits.shape() + " " + logits.dtype() + " and " + x.shape() + " " + x.dtype());
    }
  }

  @Override
  public Tensor compose(List<Tensor> inputs) {
    Tensor logits = inputs.get(0);
    Tensor x = inputs.get(1);
    return x.mul(logits).sub(logits.softplus()).sum(false, 1);
  }

  @Override
  public Optional<Tensor> fused(Engine engine, List<Tensor> inputs) {
    Tensor logits = inputs.get(0);
    Tensor x = inputs.get(1);
    if (engine.needsGradient(x)) {
      return Optional.empty();
    }
    return engine.implementation(kind()).map(kernel -> {
      FusedKernel.ValueAndSlope both = kernel.bernoulliLogLikelihood(engine.arrayOf(x), engine.arrayOf(logits));
      return engine.recordWithSlope("BERNOULLI_LOG_LIKELIHOOD", both, true, logits, x);
    });
  }

  /** Logits over [−40, 40] and binary targets, from one element to a batch of MNIST. */
  @Override
  public List<List<KernelInput>> contractInputs(DType dtype, Random random) {
    List<List<KernelInput>> cases = new ArrayList<>();
    for (Shape shape : List.of(Shape.of(1, 1), Shape.of(7, 13), Shape.of(33, 300), Shape.of(128, 784))) {
      double[] targets = new double[shape.sizeAsInt()];
      for (int i = 0; i < targets.length; i++) {
        targets[i] = random.nextBoolean() ? 1 : 0;
      }
      cases.add(List.of(new KernelInput(Kernels.uniform(random, shape, -40, 40), shape, true),
          new KernelInput(targets, shape, false)));
    }
    return cases;
  }
}
