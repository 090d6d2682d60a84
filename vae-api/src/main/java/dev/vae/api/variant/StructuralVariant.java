package dev.vae.api.variant;

/**
 * A variant that changes the model's structure rather than hooking into the plain VAE, such as
 * semi-supervised M2 (a label y, a classifier q(y|x), a decoder p(x|y,z)). It cannot be dropped
 * into the plain trainer; programs detect it and run the variant's own training. Its
 * {@link #objective} is not called by the plain trainer and fails if it is.
 */
public interface StructuralVariant extends Variant {
  @Override
  default Objective objective(ObjectiveTerms terms, TrainingClock clock) {
    throw new UnsupportedOperationException(name() + " changes the model's structure and trains with its own "
        + "model; it has no objective over the plain VAE's terms");
  }
}
