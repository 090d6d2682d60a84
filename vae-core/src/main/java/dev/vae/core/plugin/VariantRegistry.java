package dev.vae.core.plugin;

import dev.vae.api.Options;
import dev.vae.api.variant.Variant;
import dev.vae.api.variant.VariantProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The variants on the classpath by name, as {@link ServiceLoader} finds them; the plain VAE,
 * "elbo", is always among them (vae-core registers it). Two providers with one name are an error.
 */
public final class VariantRegistry {
  private final NamedPlugins<VariantProvider> plugins;

  public VariantRegistry(Collection<? extends VariantProvider> providers) {
    plugins = new NamedPlugins<>("variant", "add vae-variants to the classpath", providers, VariantProvider::name);
  }

  /** The variants found on the classpath. */
  public static VariantRegistry discover() {
    List<VariantProvider> found = new ArrayList<>();
    ServiceLoader.load(VariantProvider.class).forEach(found::add);
    return new VariantRegistry(found);
  }

  /** Every provider, sorted by name. */
  public Collection<VariantProvider> providers() {
    return plugins.all();
  }

  /** Creates the named variant; an unknown name fails listing the installed ones. */
  public Variant create(String name, Options options) {
    Variant variant = plugins.named(name).create(options);
    options.requireAllUsed("variant " + name);
    return variant;
  }
}
