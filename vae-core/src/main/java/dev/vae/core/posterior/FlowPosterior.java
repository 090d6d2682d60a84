package dev.vae.core.posterior;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.nn.Parameter;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * q(z|x): a diagonal Gaussian q₀(z₀|x) pushed through a {@link Flow}, conditioned on the examples'
 * context where the flow reads one. log q(z|x) = log q₀(z₀|x) − log|det ∂z/∂z₀|; its KL from any
 * prior is estimated by Monte Carlo.
 *
 * @param base q₀
 * @param context [n, c] from the encoder, or null for a flow that reads none
 */
public record FlowPosterior(DiagonalGaussianPosterior base, Tensor context, Flow flow) implements Posterior {
  @Override
  public int batchSize() {
    return base.batchSize();
  }

  @Override
  public int dimension() {
    return base.dimension();
  }

  @Override
  public Draws sample(int samples, Rng rng) {
    Draws z0 = base.sample(samples, rng);
    Flow.Transformed flowed = flow.forward(z0.z(), repeated(samples));
    return new Draws(flowed.z(), () -> z0.logProb().sub(flowed.logDeterminant()));
  }

  /** The base posterior's mean through the flow. */
  @Override
  public Tensor pointEstimate() {
    return flow.forward(base.mean(), context).z();
  }

  /** The context stacked {@code samples} times, sample-major, beside the draws; null without one. */
  private Tensor repeated(int samples) {
    if (context == null || samples == 1) {
      return context;
    }
    int n = context.dim(0);
    int c = context.dim(1);
    return context.broadcastTo(Shape.of(samples, n, c)).reshape(samples * n, c);
  }

  /** A diagonal Gaussian and a flow: the encoder gives 2d numbers, then the flow's context. */
  public static final class Family implements PosteriorFamily {
    private final Flow flow;
    private final int latent;

    /** A diagonal Gaussian in {@code latent} dimensions through {@code flow}. */
    public Family(Flow flow, int latent) {
      this.flow = flow;
      this.latent = latent;
    }

    @Override
    public String name() {
      return flow.name();
    }

    @Override
    public int encoderOutputs() {
      return 2 * latent + flow.contextSize();
    }

    @Override
    public FlowPosterior posterior(Tensor encoderOutputs, UnaryOperator<Tensor> constrainLogVariance) {
      Tensor context = flow.contextSize() == 0 ? null : encoderOutputs.slice(1, 2 * latent, encoderOutputs());
      return new FlowPosterior(DiagonalGaussianPosterior.of(encoderOutputs, latent, constrainLogVariance), context,
          flow);
    }

    @Override
    public List<Parameter> parameters() {
      return flow.parameters();
    }

    @Override
    public String describe() {
      return "diagonal Gaussian with " + flow.steps() + " " + flow.name() + " flow step" + (flow.steps() == 1 ? ""
          : "s");
    }
  }
}
