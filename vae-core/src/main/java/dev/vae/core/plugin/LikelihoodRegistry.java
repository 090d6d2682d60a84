package dev.vae.core.plugin;

import dev.vae.api.Options;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The likelihoods on the classpath by name, as {@link ServiceLoader} finds them: a jar with an
 * {@code @AutoService(LikelihoodProvider.class)} class is all it takes to add one. Two providers
 * with one name are an error, not a silent pick.
 */
public final class LikelihoodRegistry {
  private final NamedPlugins<LikelihoodProvider> plugins;

  public LikelihoodRegistry(Collection<? extends LikelihoodProvider> providers) {
    plugins = new NamedPlugins<>("likelihood", "add vae-likelihoods to the classpath", providers,
        LikelihoodProvider::name);
  }

  /** The likelihoods found on the classpath. */
  public static LikelihoodRegistry discover() {
    List<LikelihoodProvider> found = new ArrayList<>();
    ServiceLoader.load(LikelihoodProvider.class).forEach(found::add);
    return new LikelihoodRegistry(found);
  }

  /** Every provider, sorted by name. */
  public Collection<LikelihoodProvider> providers() {
    return plugins.all();
  }

  /** Creates the named likelihood; an unknown name fails listing the installed ones. */
  public Likelihood create(String name, int dimension, Options options) {
    return plugins.named(name).create(dimension, options);
  }
}
