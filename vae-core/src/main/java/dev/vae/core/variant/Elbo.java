package dev.vae.core.variant;

import com.google.auto.service.AutoService;
import dev.vae.api.variant.NamedVariantProvider;
import dev.vae.api.variant.Objective;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.api.variant.VariantProvider;

/** The plain VAE: maximise the ELBO, E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)), unchanged. */
public final class Elbo implements Variant {
  public static final String NAME = "elbo";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Objective objective(ObjectiveTerms terms, TrainingClock clock) {
    return Objective.of(terms.elbo().neg());
  }

  /** Registers the plain VAE under "elbo". */
  @AutoService(VariantProvider.class)
  public static final class Provider extends NamedVariantProvider {
    public Provider() {
      super(NAME, "the plain VAE: maximise the ELBO",
          options -> new Elbo());
    }
  }
}
