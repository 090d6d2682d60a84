package dev.vae.api.variant;

import dev.vae.api.Options;
import java.util.function.Function;

/**
 * A {@link VariantProvider} from its three parts, for the common case where a provider is nothing
 * more: a subclass with a no-argument constructor (as {@link java.util.ServiceLoader} requires)
 * passes the name, the description and the factory.
 */
public abstract class NamedVariantProvider implements VariantProvider {
  private final String name;
  private final String description;
  private final Function<Options, Variant> factory;

  protected NamedVariantProvider(String name, String description, Function<Options, Variant> factory) {
    this.name = name;
    this.description = description;
    this.factory = factory;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final Variant create(Options options) {
    return factory.apply(options);
  }
}
