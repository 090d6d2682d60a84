package dev.vae.core.prior;

import dev.vae.api.model.Prior;

/**
 * The service a prior family registers for {@link java.util.ServiceLoader} (with
 * {@code @AutoService(PriorProvider.class)}): a name, a one-line description and the prior it builds
 * for a model. A jar holding one on the classpath makes it selectable by name ({@code --prior}).
 */
public interface PriorProvider {
  /** Stable name, lower case, e.g. "vamp". */
  String name();

  /** One line for listings. */
  String description();

  /**
   * The prior for a model; a {@link TrainablePrior} trains its parameters with the model. Options
   * it does not know must fail ({@link dev.vae.api.Options#requireAllUsed}).
   */
  Prior build(PriorContext context);
}
