package dev.vae.core.plugin;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Plugins of one kind by their stable name: two with one name are an error, not a silent pick, and
 * looking up an unknown name fails with the list of installed ones.
 *
 * @param <P> the provider type
 */
final class NamedPlugins<P> {
  private final String kind;
  private final String whenEmpty;
  private final Map<String, P> byName = new TreeMap<>();

  /**
   * @param kind what the plugins are, for messages ("likelihood")
   * @param whenEmpty advice when none is installed
   */
  NamedPlugins(String kind, String whenEmpty, Collection<? extends P> providers, Function<P, String> name) {
    this.kind = kind;
    this.whenEmpty = whenEmpty;
    for (P p : providers) {
      P previous = byName.put(name.apply(p), p);
      if (previous != null) {
        throw new IllegalStateException("two " + kind + "s are named '" + name.apply(p) + "': "
            + previous.getClass().getName() + " and " + p.getClass().getName());
      }
    }
  }

  /** Every provider, sorted by name. */
  Collection<P> all() {
    return Collections.unmodifiableCollection(byName.values());
  }

  /** The named provider; an unknown name fails listing the installed ones. */
  P named(String name) {
    P p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no " + kind + " named '" + name + "'; installed: "
          + (byName.isEmpty() ? "none (" + whenEmpty + ")" : String.join(", ", byName.keySet())));
    }
    return p;
  }
}
