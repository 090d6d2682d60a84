package dev.vae.variants;

import com.google.auto.service.AutoService;
import dev.vae.api.Options;
import dev.vae.api.Tensor;
import dev.vae.api.variant.NamedVariantProvider;
import dev.vae.api.variant.Objective;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.api.variant.VariantProvider;
import java.util.Arrays;
import java.util.Map;

/**
 * Free bits (Kingma et al. 2016): the KL term becomes Σ_g max(λ, KL_g), where KL_g is the batch mean
 * KL of a group of {@code group-size} consecutive latent dimensions (1: each dimension alone), or of
 * consecutive groups of the sizes {@code group-sizes} lists (with stochastic layers above z, whose
 * KLs follow z's, their dimensions make one group a layer). A group below λ nats costs a constant,
 * so the optimiser gains nothing by pushing it to zero: the floor keeps units from collapsing. The
 * reported "kl_floored" is the term as optimised.
 */
public final class FreeBits implements Variant {
  public static final String NAME = "free-bits";

  private final double lambda;
  private final int groupSize;
  /** Sizes of consecutive groups; null: every group has {@link #groupSize} dimensions. */
  private final int[] groupSizes;

  /** Floors of λ nats on groups of {@code groupSize} consecutive dimensions. */
  public FreeBits(double lambda, int groupSize) {
    this(lambda, groupSize, null);
  }

  /** Floors of λ nats on consecutive groups of the given sizes, which must add up to the KL's dimensions. */
  public static FreeBits ofGroups(double lambda, int... groupSizes) {
    return new FreeBits(lambda, 1, groupSizes.clone());
  }

  private FreeBits(double lambda, int groupSize, int[] groupSizes) {
    if (!(lambda >= 0) || Double.isInfinite(lambda) || groupSize < 1
        || groupSizes != null && (groupSizes.length == 0 || Arrays.stream(groupSizes).anyMatch(g -> g < 1))) {
      throw new IllegalArgumentException("free bits needs lambda >= 0 (nats per group) and group sizes >= 1, got"
          + " lambda=" + lambda + ", " + (groupSizes == null ? "group-size=" + groupSize : "group-sizes="
          + Arrays.toString(groupSizes)));
    }
    this.lambda = lambda;
    this.groupSize = groupSize;
    this.groupSizes = groupSizes;
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
    Tensor floored = perGroup(terms).maximum(lambda).sum();
    return new Objective(floored.sub(terms.reconstruction().mean()), Map.of("kl_floored", floored));
  }

  /** The batch-mean KL of each group [groups]. */
  private Tensor perGroup(ObjectiveTerms terms) {
    if (groupSizes != null) {
      return terms.batchKlPerGroup(NAME, groupSizes);
    }
    Tensor perDimension = terms.batchKlPerDimension(NAME);
    int d = perDimension.dim(0);
    if (d % groupSize != 0) {
      throw new IllegalArgumentException("free bits: group-size " + groupSize + " does not divide the KL's " + d
          + " dimensions (the latent dimension, and those of any layers above z); use a divisor of " + d);
    }
    return perDimension.reshape(d / groupSize, groupSize).sum(1);
  }

  /** Registers free bits under "free-bits". */
  @AutoService(VariantProvider.class)
  public static final class Provider extends NamedVariantProvider {
    public Provider() {
      super(NAME, "free bits: KL term Σ max(lambda, KL per group of group-size dimensions, or of groups of the"
          + " sizes group-sizes lists, e.g. 20x10 for a layer each), batch means", Provider::freeBits);
    }

    private static FreeBits freeBits(Options options) {
      double lambda = options.getDouble("lambda", 0.5);
      int groupSize = options.getInt("group-size", 1);
      if (!options.has("group-sizes")) {
        return new FreeBits(lambda, groupSize);
      }
      if (options.has("group-size")) {
        throw new IllegalArgumentException("free bits: give group-size or group-sizes, not both");
      }
      String text = options.getString("group-sizes", "");
      try {
        return ofGroups(lambda, Arrays.stream(text.split("x", -1)).mapToInt(g -> Integer.parseInt(g.trim())).toArray());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("free bits: group-sizes=" + text + " is not a list of sizes joined by x,"
            + " e.g. group-sizes=20x10", e);
      }
    }
  }
}
