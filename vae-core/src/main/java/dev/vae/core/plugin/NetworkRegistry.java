package dev.vae.core.plugin;

import dev.vae.core.nn.NetworkProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The network families on the classpath by name, as {@link ServiceLoader} finds them; vae-core
 * registers "mlp" and "conv". Two providers with one name are an error.
 */
public final class NetworkRegistry {
  private final NamedPlugins<NetworkProvider> plugins;

  public NetworkRegistry(Collection<? extends NetworkProvider> providers) {
    plugins = new NamedPlugins<>("network", "vae-core registers mlp and conv", providers, NetworkProvider::name);
  }

  /** The networks found on the classpath. */
  public static NetworkRegistry discover() {
    List<NetworkProvider> found = new ArrayList<>();
    ServiceLoader.load(NetworkProvider.class).forEach(found::add);
    return new NetworkRegistry(found);
  }

  /** Every provider, sorted by name. */
  public Collection<NetworkProvider> providers() {
    return plugins.all();
  }

  /** The named provider; an unknown name fails listing the installed ones. */
  public NetworkProvider named(String name) {
    return plugins.named(name);
  }
}
