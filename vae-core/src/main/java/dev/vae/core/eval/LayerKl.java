package dev.vae.core.eval;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.prior.LadderPosterior;
import dev.vae.core.prior.LadderPrior;
import dev.vae.core.prior.TwoLayerPrior;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ELBO's KL split by stochastic layer, z's first, for a model with layers above z, with each
 * layer's latent diagnostics (active units, I(x; z_l)); one draw per example, so the layers' KLs sum
 * to the model's KL from the same draws.
 *
 * <ul>
 *   <li>A {@link LadderPrior}: each layer's closed-form KL given the draw above it; the diagnostics
 *       read each layer's q along the mean path.
 *   <li>A {@link TwoLayerPrior} (bottom-up): E[log q(z|x) − log p(z|z₂)] for z and E[log q(z₂|z) −
 *       log p(z₂)] for z₂; z₂'s diagnostics read q(z₂ | E[z|x]).
 * </ul>
 */
public record LayerKl(List<Layer> layers) {

  /** One layer's mean KL per example and its diagnostics. */
  public record Layer(double kl, LatentDiagnostics latent) {}

  /**
   * The layers of the n rows of {@code data} ([n, m] row-major), in batches without gradients;
   * empty when the model has no layer above z.
   */
  public static Optional<LayerKl> measure(Vae vae, float[] data, int n, int batchSize, Rng rng) {
    int[] dimensions;
    if (vae.prior() instanceof LadderPrior ladder) {
      dimensions = ladder.layerDimensions();
    } else if (vae.prior() instanceof TwoLayerPrior twoLayer) {
      dimensions = new int[] {vae.latentDimension(), twoLayer.upperDimension()};
    } else {
      return Optional.empty();
    }
    double[] sums = new double[dimensions.length];
    List<LatentDiagnostics.Posteriors> posteriors = new ArrayList<>();
    for (int d : dimensions) {
      posteriors.add(new LatentDiagnostics.Posteriors(n, d));
    }
    try (Engine.NoGrad noGrad = vae.engine().noGrad()) {
      RowBatches.forEach(vae, data, n, batchSize, (start, x) -> {
        Posterior q = vae.encode(x);
        List<DiagonalGaussianPosterior> layers = vae.prior() instanceof TwoLayerPrior twoLayer
            ? twoLayer(twoLayer, q, rng, sums) : ladder((LadderPosterior) q, rng, dimensions, sums);
        for (int l = 0; l < dimensions.length; l++) {
          posteriors.get(l).add(start, layers.get(l), rng);
        }
      });
    }
    List<Layer> layers = new ArrayList<>();
    for (int l = 0; l < dimensions.length; l++) {
      layers.add(new Layer(sums[l] / n, posteriors.get(l).diagnostics()));
    }
    return Optional.of(new LayerKl(layers));
  }

  /** Adds a batch's KL per layer to {@code sums}; gives each layer's q along the mean path. */
  private static List<DiagonalGaussianPosterior> ladder(LadderPosterior q, Rng rng, int[] dimensions, double[] sums) {
    Tensor perDimension = q.sample(1, rng).hierarchy().orElseThrow().klPerDimension();
    int from = 0;
    for (int l = 0; l < dimensions.length; l++) {
      sums[l] += perDimension.slice(1, from, from + dimensions[l]).sum().item();
      from += dimensions[l];
    }
    return q.meanPath();
  }

  /** Adds a batch's KL per layer to {@code sums}; gives q(z|x) and q(z₂ | E[z|x]). */
  private static List<DiagonalGaussianPosterior> twoLayer(TwoLayerPrior prior, Posterior q, Rng rng,
      double[] sums) {
    Posterior.Draws z = q.sample(1, rng);
    TwoLayerPrior.Layers layers = prior.layers(z.z(), rng);
    sums[0] += z.logProb().sub(layers.logConditional()).sum().item();
    sums[1] += layers.upperKlEstimate().sum().item();
    return List.of(q.base(), prior.upperPosterior(q.pointEstimate()));
  }

  /** The KLs of all layers. */
  public double total() {
    return layers.stream().mapToDouble(Layer::kl).sum();
  }

  /** One line a layer. */
  public String summary() {
    List<String> lines = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      Layer layer = layers.get(l);
      lines.add(String.format(Locale.ROOT, "KL of layer %d (%s, %d dims) %.3f nats, %s", l + 1, unit(l),
          layer.latent().dimension(), layer.kl(), layer.latent().summary(unit(l))));
    }
    return lines.stream().collect(Collectors.joining(System.lineSeparator()));
  }

  /** The name of layer l's units (from 0): z, z2, z3… */
  public static String unit(int layer) {
    return layer == 0 ? "z" : "z" + (layer + 1);
  }
}
