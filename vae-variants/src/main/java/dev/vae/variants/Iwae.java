package dev.vae.variants;

import com.google.auto.service.AutoService;
import dev.vae.api.Tensor;
import dev.vae.api.variant.NamedVariantProvider;
import dev.vae.api.variant.Objective;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.api.variant.VariantProvider;
import java.util.Map;

/**
 * The importance-weighted autoencoder (Burda et al. 2016): maximise the bound
 * log (1/k) Σ_i p(x, z_i) / q(z_i|x) with k reparameterised draws per example, tighter than the
 * ELBO for k &gt; 1 and equal to it for k = 1. Evaluation's log-likelihood estimate is the same
 * estimator with large k. Reported: "iwae_bound", the batch mean bound.
 */
public final class Iwae implements Variant {
  public static final String NAME = "iwae";

  private final int samples;

  public Iwae(int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("iwae needs k >= 1 importance samples, got k=" + samples);
    }
    this.samples = samples;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int importanceSamples() {
    return samples;
  }

  @Override
  public Objective objective(ObjectiveTerms terms, TrainingClock clock) {
    Tensor logWeights = terms.requireLogWeights(NAME);
    Tensor bound = logWeights.logSumExp(false, 0).sub(Math.log(logWeights.dim(0))).mean();
    return new Objective(bound.neg(), Map.of("iwae_bound", bound));
  }

  /** Registers IWAE under "iwae". */
  @AutoService(VariantProvider.class)
  public static final class Provider extends NamedVariantProvider {
    public Provider() {
      super(NAME, "importance-weighted autoencoder: the k-sample bound (k, default 5)",
          options -> new Iwae(options.getInt("k", 5)));
    }
  }
}
