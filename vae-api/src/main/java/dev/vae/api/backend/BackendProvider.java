package dev.vae.api.backend;

/**
 * The cheap, no-argument service a backend jar registers for {@link java.util.ServiceLoader}. It
 * must load no native code: {@link #probe()} says whether the backend can run here, and only
 * {@link #create()} loads libraries and allocates.
 */
public interface BackendProvider {
  /** The name users select this backend by (system property {@code vae.backend}, env VAE_BACKEND). */
  String name();

  /** Higher wins among available backends; ties are broken by name. */
  int priority();

  /** Whether this backend can run on this machine, and why not. Never throws. */
  Probe probe();

  /** Creates the backend, loading its native libraries. */
  Backend create();
}
