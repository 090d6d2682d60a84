package dev.vae.core.prior;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.posterior.Posterior;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * q(z, z₂, …, z_L | x) of a {@link LadderPrior} for a batch, drawn top-down: q(z_L | x) is the top
 * bottom-up message; below it, q(z_l | z_{l+1}, x) combines the layer's message with p(z_l | z_{l+1})
 * as the prior's {@link LadderPrior.Combination} says.
 * Each draw carries its path's log p and every layer's KL given the draw above
 * ({@link Posterior.Hierarchy}). Its point estimate and diagnostics follow the mean path, where
 * every layer above is at its posterior mean.
 */
public final class LadderPosterior implements Posterior {
  private static final double LOG_TWO_PI = Math.log(2 * Math.PI);
  private final LadderPrior prior;
  /** The bottom-up messages, layer 1's (the encoder's q(z|x)) first. */
  private final List<DiagonalGaussianPosterior> messages;
  private List<DiagonalGaussianPosterior> meanPath;

  LadderPosterior(LadderPrior prior, List<DiagonalGaussianPosterior> messages) {
    this.prior = prior;
    this.messages = List.copyOf(messages);
  }

  @Override
  public int batchSize() {
    return messages.get(0).batchSize();
  }

  @Override
  public int dimension() {
    return messages.get(0).dimension();
  }

  /** Draws every layer from the top down, with log q and log p of each path and every layer's KL. */
  @Override
  public Draws sample(int samples, Rng rng) {
    int top = messages.size();
    Tensor[] kl = new Tensor[top];
    List<Tensor> upper = new ArrayList<>();
    DiagonalGaussianPosterior q = repeated(messages.get(top - 1), samples);
    Tensor z = q.sample(1, rng).z();
    Tensor logQ = q.logProb(z, 1);
    Tensor logP = z.square().add(LOG_TWO_PI).mul(-0.5).sum(false, 1);
    kl[top - 1] = q.mean().square().add(q.logVariance().exp()).sub(1).sub(q.logVariance()).mul(0.5);
    for (int l = top - 1; l >= 1; l--) {
      upper.add(0, z);
      DiagonalGaussianPosterior p = prior.conditional(l, z);
      q = prior.combination().combine(repeated(messages.get(l - 1), samples), p);
      z = q.sample(1, rng).z();
      logQ = logQ.add(q.logProb(z, 1));
      logP = logP.add(p.logProb(z, 1));
      kl[l - 1] = gaussianKl(q, p);
    }
    Tensor perDimension = z.factory().concat(List.of(kl), 1);
    Tensor logProb = logQ;
    return new Draws(z, () -> logProb, new Hierarchy(Collections.unmodifiableList(upper), logP, perDimension));
  }

  /** Each layer's q along the mean path, z's first: the layers above at their posterior means. */
  public List<DiagonalGaussianPosterior> meanPath() {
    if (meanPath == null) {
      int top = messages.size();
      List<DiagonalGaussianPosterior> path = new ArrayList<>(Collections.nCopies(top, null));
      path.set(top - 1, messages.get(top - 1));
      for (int l = top - 1; l >= 1; l--) {
        path.set(l - 1, prior.combination().combine(messages.get(l - 1), prior.conditional(l, path.get(l).mean())));
      }
      meanPath = List.copyOf(path);
    }
    return meanPath;
  }

  /** z's posterior mean along the mean path. */
  @Override
  public Tensor pointEstimate() {
    return base().mean();
  }

  /** q(z | z₂, x) along the mean path. */
  @Override
  public DiagonalGaussianPosterior base() {
    return meanPath().get(0);
  }

  /** A message [n, d] stacked {@code samples} times, sample-major: [samples · n, d]. */
  private static DiagonalGaussianPosterior repeated(DiagonalGaussianPosterior message, int samples) {
    if (samples == 1) {
      return message;
    }
    Shape stacked = Shape.of(samples, message.batchSize(), message.dimension());
    Shape rows = Shape.of(samples * message.batchSize(), message.dimension());
    return new DiagonalGaussianPosterior(message.mean().broadcastTo(stacked).reshape(rows),
        message.logVariance().broadcastTo(stacked).reshape(rows));
  }

  /**
   * KL(N(μ_q, σ_q²) ‖ N(μ_p, σ_p²)) per row and dimension: ½ (log σ_p²/σ_q² + (σ_q² + (μ_q −
   * μ_p)²)/σ_p² − 1).
   */
  static Tensor gaussianKl(DiagonalGaussianPosterior q, DiagonalGaussianPosterior p) {
    Tensor ratio = q.logVariance().sub(p.logVariance()).exp();
    Tensor difference = q.mean().sub(p.mean());
    return ratio.add(difference.square().div(p.logVariance().exp())).sub(1)
        .add(p.logVariance().sub(q.logVariance())).mul(0.5);
  }
}
