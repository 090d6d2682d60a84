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
 * Free bits (Kingma et al. 2016): the KL term becomes Σ_g max(λ, KL_g), where KL_g is the batch mean
 * KL of a group of {@code group-size} consecutive latent dimensions (1: each dimension alone). A
 * group below λ nats costs a constant, so the optimiser gains nothing by pushing it to zero: the
 * floor keeps units from collapsing. The reported "kl_floored" is the term as optimised.
 */
public final class FreeBits implements Variant {
  public static final String NAME = "free-bits";

  private final double lambda;
  private final int groupSize;

  public FreeBits(double lambda, int groupSize) {
    if (!(lambda >= 0) || Double.isInfinite(lambda) || groupSize < 1) {
      throw new IllegalArgumentException("free bits needs lambda >= 0 (nats per group) and group-size >= 1, got lambda="
          + lambda + ", group-size=" + groupSize);
    }
    this.lambda = lambda;
    this.groupSize = groupSize;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean needsKlPerDimension() {
    return true;
  }

  @Override
  public Objective objective(ObjectiveTerms terms, TrainingClock clock) {
    Tensor perDimension = terms.batchKlPerDimension(NAME);
    int d = perDimension.dim(0);
    if (d % groupSize != 0) {
      throw new IllegalArgumentException("free bits: group-size " + groupSize + " does not divide the latent dimension "
          + d + "; use a divisor of " + d);
    }
    Tensor perGroup = perDimension.reshape(d / groupSize, groupSize).sum(1);
    Tensor floored = perGroup.maximum(lambda).sum();
    return new Objective(floored.sub(terms.reconstruction().mean()), Map.of("kl_floored", floored));
  }

  /** Registers free bits under "free-bits". */
  @AutoService(VariantProvider.class)
  public static final class Provider extends NamedVariantProvider {
    public Provider() {
      super(NAME, "free bits: KL term Σ max(lambda, KL per group of group-size dimensions), batch means",
          options -> new FreeBits(options.getDouble("lambda", 0.5), options.getInt("group-size", 1)));
    }
  }
}
