package dev.vae.core.eval;

import dev.vae.api.Rng;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.prior.TwoLayerPrior;
import java.util.Locale;
import java.util.Optional;

/**
 * The ELBO's KL split by stochastic layer, for a model whose prior has a second layer
 * ({@link TwoLayerPrior}): E[log q(z|x) − log p(z|z₂)] for z and E[log q(z₂|z) − log p(z₂)] for z₂
 * (one draw of each per example; they sum to the model's Monte Carlo KL), with each layer's latent
 * diagnostics. z₂'s are read at z's point estimate: E[z₂|x] is taken as the mean of q(z₂ | E[z|x]).
 */
public record LayerKl(double lower, double upper, LatentDiagnostics lowerLatent, LatentDiagnostics upperLatent) {

  /**
   * The layers of the n rows of {@code data} ([n, m] row-major), in batches without gradients;
   * empty when the model's prior has no second layer.
   */
  public static Optional<LayerKl> measure(Vae vae, float[] data, int n, int batchSize, Rng rng) {
    if (!(vae.prior() instanceof TwoLayerPrior prior)) {
      return Optional.empty();
    }
    double[] sums = new double[2];
    LatentDiagnostics.Posteriors first = new LatentDiagnostics.Posteriors(n, vae.latentDimension());
    LatentDiagnostics.Posteriors second = new LatentDiagnostics.Posteriors(n, prior.upperDimension());
    try (Engine.NoGrad noGrad = vae.engine().noGrad()) {
      RowBatches.forEach(vae, data, n, batchSize, (start, x) -> {
        Posterior q = vae.encode(x);
        Posterior.Draws z = q.sample(1, rng);
        TwoLayerPrior.Layers layers = prior.layers(z.z(), rng);
        sums[0] += z.logProb().sub(layers.logConditional()).sum().item();
        sums[1] += layers.upperKlEstimate().sum().item();
        first.add(start, q.base(), rng);
        second.add(start, prior.upperPosterior(q.pointEstimate()), rng);
      });
    }
    return Optional.of(new LayerKl(sums[0] / n, sums[1] / n, first.diagnostics(), second.diagnostics()));
  }

  /** Two lines, one a layer. */
  public String summary() {
    return String.format(Locale.ROOT, "KL of layer 1 (z, %d dims) %.3f nats, %s%nKL of layer 2 (z2, %d dims) %.3f"
        + " nats, %s", lowerLatent.dimension(), lower, lowerLatent.summary(), upperLatent.dimension(), upper,
        upperLatent.summary());
  }
}
