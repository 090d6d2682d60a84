package dev.vae.api.backend;

import java.util.Objects;

/**
 * A backend's answer to "can you run here?": availability and, either way, a reason a user can act
 * on ("no CUDA driver: libcuda.so.1 not found; install the NVIDIA driver").
 */
public record Probe(boolean available, String reason) {
  public Probe {
    Objects.requireNonNull(reason, "reason");
  }

  public static Probe available(String reason) {
    return new Probe(true, reason);
  }

  public static Probe unavailable(String reason) {
    return new Probe(false, reason);
  }
}
