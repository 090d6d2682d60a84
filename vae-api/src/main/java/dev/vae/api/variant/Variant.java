package dev.vae.api.variant;

import dev.vae.api.model.Prior;
import dev.vae.api.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * A change to the plain VAE, made through four hooks that the model calls at fixed points of a
 * step (see DESIGN.md, "data flow of a training step"):
 *
 * <ul>
 *   <li>{@link #objective}: combine the batch's terms into the loss (beta-VAE, capacity, free
 *       bits, IWAE);
 *   <li>{@link #constrainLogVariance}: transform the encoder's raw log-variance of q(z|x) before
 *       anything uses it (delta-VAE's committed rate);
 *   <li>{@link #prior}: replace the model's prior p(z) (delta-VAE's AR(1) prior);
 *   <li>{@link #importanceSamples}: ask the model for k importance-weighted samples (IWAE).
 * </ul>
 *
 * Variants that change the model's structure (a label y and a classifier, as in semi-supervised
 * M2) build their own model and implement {@link StructuralVariant}. A variant is created per run
 * by its {@link VariantProvider} and may keep no state between batches beyond its configuration:
 * everything that changes over a run is a function of the {@link TrainingClock}, so a resumed run
 * continues exactly.
 */
public interface Variant {
  /** The provider's name, e.g. "beta". */
  String name();

  /** The loss to minimise for a batch. Outside training the clock says so, and schedules end. */
  Objective objective(ObjectiveTerms terms, TrainingClock clock);

  /** The log-variance of q(z|x) [n, d] the model uses, from the encoder's raw output [n, d]. */
  default Tensor constrainLogVariance(Tensor rawLogVariance) {
    return rawLogVariance;
  }

  /**
   * Whether the objective reads the KL per latent dimension ({@link ObjectiveTerms#klPerDimension}),
   * which only a prior with a closed-form KL gives; a model refuses such a variant with any other
   * prior before training. False by default.
   */
  default boolean needsKlPerDimension() {
    return false;
  }

  /**
   * Whether what the variant promises holds only against the standard normal prior (delta-VAE's
   * committed rate, which bounds q's variance with N(0, I) in mind); a model refuses any other
   * prior with such a variant before training. False by default.
   */
  default boolean needsStandardNormalPrior() {
    return false;
  }

  /** The prior to use instead of the model's default (the standard normal), if any. */
  default Optional<Prior> prior() {
    return Optional.empty();
  }

  /** Importance samples of z per example the objective needs as log-weights; 0: none. */
  default int importanceSamples() {
    return 0;
  }

  /**
   * Warnings about a planned run of {@code totalSteps} optimizer steps, shown before training
   * starts (for example a warm-up longer than the run).
   */
  default List<String> warnings(long totalSteps) {
    return List.of();
  }
}
