package dev.vae.core.plugin;

import dev.vae.core.posterior.PosteriorProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The posterior families on the classpath by name, as {@link ServiceLoader} finds them; vae-core
 * registers "diagonal-gaussian", "full-covariance", "planar" and "iaf". Two providers with one name
 * are an error.
 */
public final class PosteriorRegistry {
  private final NamedPlugins<PosteriorProvider> plugins;

  public PosteriorRegistry(Collection<? extends PosteriorProvider> providers) {
    plugins = new NamedPlugins<>("posterior", "vae-core registers diagonal-gaussian, full-covariance, planar and iaf",
        providers, PosteriorProvider::name);
  }

  /** The posteriors found on the classpath. */
  public static PosteriorRegistry discover() {
    List<PosteriorProvider> found = new ArrayList<>();
    ServiceLoader.load(PosteriorProvider.class).forEach(found::add);
    return new PosteriorRegistry(found);
  }

  /** Every provider, sorted by name. */
  public Collection<PosteriorProvider> providers() {
    return plugins.all();
  }

  /** The named provider; an unknown name fails listing the installed ones. */
  public PosteriorProvider named(String name) {
    return plugins.named(name);
  }
}
