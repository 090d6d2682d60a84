package dev.vae.core.backend;

import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.Probe;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Chooses the compute backend from the providers on the classpath: the one named by the system
 * property {@value #PROPERTY} or the environment variable {@value #ENV} if set, else the available
 * one of highest priority, ties broken by name. Each unavailable backend is logged once with its
 * reason; naming an unknown or unavailable backend fails with every backend found and why.
 */
public final class BackendRegistry {
  public static final String PROPERTY = "vae.backend";
  public static final String ENV = "VAE_BACKEND";

  private static final System.Logger LOG = System.getLogger(BackendRegistry.class.getName());

  private final List<BackendProvider> providers;
  private List<Candidate> probed;

  /** A provider and its answer to {@link BackendProvider#probe()}. */
  public record Candidate(BackendProvider provider, Probe probe) {
    @Override
    public String toString() {
      return provider.name() + " (priority " + provider.priority() + "): "
          + (probe.available() ? "available" : "unavailable") + " - " + probe.reason();
    }
  }

  public BackendRegistry(Collection<? extends BackendProvider> providers) {
    List<BackendProvider> sorted = new ArrayList<>(providers);
    sorted.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
    this.providers = List.copyOf(sorted);
  }

  /** The providers {@link ServiceLoader} finds on the classpath. */
  public static BackendRegistry discover() {
    List<BackendProvider> found = new ArrayList<>();
    ServiceLoader.load(BackendProvider.class).forEach(found::add);
    return new BackendRegistry(found);
  }

  /** Every provider with its probe, best first. Probes run once. */
  public synchronized List<Candidate> candidates() {
    if (probed == null) {
      List<Candidate> list = new ArrayList<>();
      for (BackendProvider p : providers) {
        Candidate c = new Candidate(p, safeProbe(p));
        if (!c.probe().available()) {
          LOG.log(Level.INFO, "Skipped backend " + p.name() + " (unavailable): " + c.probe().reason());
        }
        list.add(c);
      }
      probed = List.copyOf(list);
    }
    return probed;
  }

  private static Probe safeProbe(BackendProvider p) {
    try {
      Probe probe = p.probe();
      return probe != null ? probe : Probe.unavailable("its probe returned no answer");
    } catch (RuntimeException | LinkageError e) {
      return Probe.unavailable("its probe failed: " + e);
    }
  }

  /** The backend name requested through {@value #PROPERTY} or {@value #ENV}, if any. */
  public static Optional<String> requestedName() {
    String name = System.getProperty(PROPERTY);
    if (name == null || name.isBlank()) {
      name = System.getenv(ENV);
    }
    return name == null || name.isBlank() ? Optional.empty() : Optional.of(name.trim());
  }

  /** The provider that would be used: the requested one, or the best available. */
  public BackendProvider choose(Optional<String> requested) {
    if (requested.isPresent()) {
      String name = requested.get();
      for (Candidate c : candidates()) {
        if (c.provider().name().equalsIgnoreCase(name)) {
          if (!c.probe().available()) {
            throw new IllegalStateException("backend '" + name + "' was requested but is unavailable: "
                + c.probe().reason() + "\n" + describe());
          }
          return c.provider();
        }
      }
      throw new IllegalStateException("backend '" + name + "' was requested but is not on the classpath\n" + describe());
    }
    for (Candidate c : candidates()) {
      if (c.probe().available()) {
        return c.provider();
      }
    }
    throw new IllegalStateException("no compute backend is available; add vae-backend-cpu to the classpath\n"
        + describe());
  }

  /** Creates the backend chosen from system property, environment and priorities. */
  public Backend create() {
    return create(requestedName());
  }

  /** Creates the named backend, or the best available one when the name is empty. */
  public Backend create(Optional<String> requested) {
    BackendProvider p = choose(requested);
    LOG.log(Level.INFO, "Using backend " + p.name() + requested.map(n -> " (requested)").orElse(""));
    return p.create();
  }

  /** One line per backend found, with its availability and reason. */
  public String describe() {
    if (providers.isEmpty()) {
      return "backends found: none";
    }
    StringBuilder sb = new StringBuilder("backends found:");
    for (Candidate c : candidates()) {
      sb.append("\n  ").append(c);
    }
    return sb.toString();
  }
}
