package dev.vae.api.likelihood;

import dev.vae.api.Options;

/**
 * The service a likelihood plugin registers for {@link java.util.ServiceLoader} (with
 * {@code @AutoService(LikelihoodProvider.class)}): a name, a one-line description, and a factory.
 */
public interface LikelihoodProvider {
  /** Stable name, lower case, e.g. "bernoulli". */
  String name();

  /** One line for {@code vae likelihoods}. */
  String description();

  /**
   * A likelihood over {@code dimension} data dimensions, configured by {@code options}; unknown
   * options fail with the list of known ones ({@link Options#requireAllUsed}).
   */
  Likelihood create(int dimension, Options options);
}
