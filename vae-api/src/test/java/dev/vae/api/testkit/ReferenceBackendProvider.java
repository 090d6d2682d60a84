package dev.vae.api.testkit;

import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.Probe;

/**
 * Makes the {@link ReferenceBackend} selectable like any other backend, by name "reference". It is
 * deliberately not registered with {@link java.util.ServiceLoader}: it is a test kit, and a slow
 * one, so tests that want it add this provider themselves.
 */
public final class ReferenceBackendProvider implements BackendProvider {
  @Override
  public String name() {
    return "reference";
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Probe probe() {
    return Probe.available("pure Java, runs anywhere; a slow float64 test kit, not meant for training");
  }

  @Override
  public Backend create() {
    return new ReferenceBackend();
  }
}
