package dev.vae.core.posterior;

/**
 * The service a posterior family registers for {@link java.util.ServiceLoader} (with
 * {@code @AutoService(PosteriorProvider.class)}): a name, a one-line description and the family it
 * builds for a model. A jar holding one on the classpath makes it selectable by name
 * ({@code --posterior}).
 */
public interface PosteriorProvider {
  /** Stable name, lower case, e.g. "full-covariance". */
  String name();

  /** One line for listings. */
  String description();

  /**
   * The family for a model. Options it does not know must fail
   * ({@link dev.vae.api.Options#requireAllUsed}).
   */
  PosteriorFamily build(PosteriorContext context);
}
