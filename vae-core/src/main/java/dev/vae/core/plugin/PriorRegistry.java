package dev.vae.core.plugin;

import dev.vae.core.prior.PriorProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The prior families on the classpath by name, as {@link ServiceLoader} finds them; vae-core
 * registers "standard-normal", "mixture" and "vamp". Two providers with one name are an error.
 */
public final class PriorRegistry {
  private final NamedPlugins<PriorProvider> plugins;

  public PriorRegistry(Collection<? extends PriorProvider> providers) {
    plugins = new NamedPlugins<>("prior", "vae-core registers standard-normal, mixture and vamp", providers,
        PriorProvider::name);
  }

  /** The priors found on the classpath. */
  public static PriorRegistry discover() {
    List<PriorProvider> found = new ArrayList<>();
    ServiceLoader.load(PriorProvider.class).forEach(found::add);
    return new PriorRegistry(found);
  }

  /** Every provider, sorted by name. */
  public Collection<PriorProvider> providers() {
    return plugins.all();
  }

  /** The named provider; an unknown name fails listing the installed ones. */
  public PriorProvider named(String name) {
    return plugins.named(name);
  }
}
