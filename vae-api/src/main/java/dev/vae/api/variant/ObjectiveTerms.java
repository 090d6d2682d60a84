package dev.vae.api.variant;

import dev.vae.api.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the model computed for a batch of n examples, for a {@link Variant} to combine into a loss:
 * the reconstruction term E_q[log p(x|z)] per example [n], the KL(q(z|x) ‖ p(z)) per example [n]
 * and, where it has a closed form, per example and latent dimension [n, d] (for a model with
 * stochastic layers above z, their KLs given the draw above follow z's: [n, Σ d_l]); and, when the
 * variant asked for k importance samples, the log-weights log p(x, z_i) − log q(z_i|x) as [k, n]
 * (of every layer's draws, for a model with layers above z).
 */
public record ObjectiveTerms(Tensor reconstruction, Tensor kl, Optional<Tensor> klPerDimension,
    Optional<Tensor> logWeights) {

  /** Batch mean of reconstruction − KL: the ELBO, whatever the variant optimises. */
  public Tensor elbo() {
    return reconstruction.sub(kl).mean();
  }

  /**
   * KL per latent dimension (then per dimension of any layers above z) averaged over the batch;
   * fails where the KL has no closed form.
   */
  public Tensor batchKlPerDimension(String variant) {
    return klPerDimension.orElseThrow(() -> new IllegalStateException(variant
        + " needs the KL per latent dimension in closed form, which this model's prior does not give"))
        .mean(0);
  }

  /**
   * The batch-mean KL of consecutive groups of latent dimensions of the given sizes [groups] (with
   * stochastic layers above z, whose KLs follow z's, a group a layer); fails where the KL has no
   * closed form, or where the sizes do not add up to its dimensions.
   */
  public Tensor batchKlPerGroup(String variant, int... sizes) {
    Tensor perDimension = batchKlPerDimension(variant);
    int total = Arrays.stream(sizes).sum();
    if (total != perDimension.dim(0)) {
      throw new IllegalArgumentException(variant + ": group sizes " + Arrays.toString(sizes) + " add up to " + total
          + ", but the KL has " + perDimension.dim(0) + " dimensions (z's, then those of the layers above)");
    }
    List<Tensor> groups = new ArrayList<>();
    int from = 0;
    for (int size : sizes) {
      groups.add(perDimension.slice(0, from, from + size).sum(true, 0));
      from += size;
    }
    return perDimension.factory().concat(groups, 0);
  }

  /** The [k, n] log-weights; fails if the variant did not ask for importance samples. */
  public Tensor requireLogWeights(String variant) {
    return logWeights.orElseThrow(() -> new IllegalStateException(variant
        + " needs importance-sample log-weights: its importanceSamples() must be at least 1"));
  }
}
