package dev.vae.core.optim;

import dev.vae.api.Tensor;
import dev.vae.api.backend.FusedKernel;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Parameter;
import java.util.List;
import java.util.Optional;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019). Weight decay is added to the
 * gradient (L2) for Adam and applied to the parameters directly for AdamW. Uses the backend's
 * fused in-place update when it offers one, else the same formula in tensor math.
 */
public final class Adam extends AbstractOptimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  private final Optional<FusedKernel.AdamUpdate> fused;

  private Adam(Engine engine, double learningRate, double beta1, double beta2, double eps, double weightDecay,
      boolean decoupled) {
    super(engine, learningRate);
    if (learningRate <= 0 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps <= 0 || weightDecay < 0) {
      throw new IllegalArgumentException("Adam needs learningRate > 0, betas in [0, 1), eps > 0, weightDecay >= 0;"
          + " got lr=" + learningRate + " betas=(" + beta1 + ", " + beta2 + ") eps=" + eps + " wd=" + weightDecay);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    this.fused = engine.backend().fused(FusedKernel.AdamUpdate.class);
  }

  /** Adam with betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public static Adam adam(Engine engine, double learningRate) {
    return new Adam(engine, learningRate, 0.9, 0.999, 1e-8, 0, false);
  }

  /** Adam with L2 weight decay added to the gradient. */
  public static Adam adam(Engine engine, double learningRate, double beta1, double beta2, double eps,
      double weightDecay) {
    return new Adam(engine, learningRate, beta1, beta2, eps, weightDecay, false);
  }

  /** AdamW: weight decay applied to the parameters, decoupled from the gradient's moments. */
  public static Adam adamW(Engine engine, double learningRate, double beta1, double beta2, double eps,
      double weightDecay) {
    return new Adam(engine, learningRate, beta1, beta2, eps, weightDecay, true);
  }

  @Override
  public void step(List<Parameter> params, List<Tensor> grads) {
    Optimizer.checkPairs(params, grads);
    steps++;
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      Tensor g = grads.get(i);
      if (!decoupled && weightDecay > 0) {
        g = g.add(p.tensor().detach().mul(weightDecay));
      }
      double wd = decoupled ? weightDecay : 0;
      if (fused.isPresent()) {
        fused.get().adamUpdate(p.array(), engine.arrayOf(g), state.array(p, "m"), state.array(p, "v"),
            learningRate(), beta1, beta2, eps, wd, steps);
      } else {
        update(p, g, wd);
      }
    }
  }

  private void update(Parameter p, Tensor g, double wd) {
    Tensor m = state.get(p, "m").mul(beta1).add(g.mul(1 - beta1));
    Tensor v = state.get(p, "v").mul(beta2).add(g.square().mul(1 - beta2));
    state.put(p, "m", m);
    state.put(p, "v", v);
    Tensor mHat = m.div(1 - Math.pow(beta1, steps));
    Tensor vHat = v.div(1 - Math.pow(beta2, steps));
    Tensor value = p.tensor().detach();
    Tensor delta = mHat.div(vHat.sqrt().add(eps));
    if (wd > 0) {
      delta = delta.add(value.mul(wd));
    }
    p.replace(engine.detachArray(value.sub(delta.mul(learningRate()))));
  }
}
