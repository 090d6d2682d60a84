package dev.vae.api.variant;

import dev.vae.api.Options;

/**
 * The service a variant plugin registers for {@link java.util.ServiceLoader} (with
 * {@code @AutoService(VariantProvider.class)}): a stable name, a one-line description, and a
 * factory taking the variant's options.
 */
public interface VariantProvider {
  /** Stable name, lower case, e.g. "beta". */
  String name();

  /** One line for {@code vae variants}. */
  String description();

  /**
   * The variant, configured by {@code options}. The registry then fails on any option the provider
   * did not read ({@link Options#requireAllUsed}), so a typo lists the options there are.
   */
  Variant create(Options options);
}
