package dev.vae.core.plugin;

import dev.vae.api.Options;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import java.util.Collection;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The likelihoods on the classpath by name, as {@link ServiceLoader} finds them: a jar with an
 * {@code @AutoService(LikelihoodProvider.class)} class is all it takes to add one. Two providers
 * with one name are an error, not a silent pick.
 */
public final class LikelihoodRegistry {
  private final Map<String, LikelihoodProvider> byName = new TreeMap<>();

  public LikelihoodRegistry(Collection<? extends LikelihoodProvider> providers) {
    for (LikelihoodProvider p : providers) {
      LikelihoodProvider previous = byName.put(p.name(), p);
      if (previous != null) {
        throw new IllegalStateException("two likelihoods are named '" + p.name() + "': "
            + previous.getClass().getName() + " and " + p.getClass().getName());
      }
    }
  }

  /** The likelihoods found on the classpath. */
  public static LikelihoodRegistry discover() {
    java.util.List<LikelihoodProvider> found = new java.util.ArrayList<>();
    ServiceLoader.load(LikelihoodProvider.class).forEach(found::add);
    return new LikelihoodRegistry(found);
  }

  /** Every provider, sorted by name. */
  public Collection<LikelihoodProvider> providers() {
    return byName.values();
  }

  /** Creates the named likelihood; an unknown name fails listing the installed ones. */
  public Likelihood create(String name, int dimension, Options options) {
    LikelihoodProvider p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no likelihood named '" + name + "'; installed: "
          + (byName.isEmpty() ? "none (add vae-likelihoods to the classpath)" : String.join(", ", byName.keySet())));
    }
    return p.create(dimension, options);
  }
}
