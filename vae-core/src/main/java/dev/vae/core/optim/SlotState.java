package dev.vae.core.optim;

import dev.vae.api.Tensor;
import dev.vae.api.backend.NdArray;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-parameter optimizer slots (momentum, second moment, ...), keyed by parameter name and slot,
 * owned outside every memory scope and freed on {@link #close()}.
 */
final class SlotState implements AutoCloseable {
  private final Engine engine;
  private final Map<String, NdArray> slots = new LinkedHashMap<>();

  SlotState(Engine engine) {
    this.engine = engine;
  }

  /** The slot's current value, zeros the first time. */
  Tensor get(Parameter p, String slot) {
    NdArray a = slots.computeIfAbsent(key(p, slot), k -> engine.detachArray(p.tensor().fullLike(0.0)));
    return engine.wrap(a);
  }

  /** The slot's backend array (zeros the first time), for fused in-place kernels. */
  NdArray array(Parameter p, String slot) {
    get(p, slot);
    return slots.get(key(p, slot));
  }

  /** Replaces a slot with a newly computed value, freeing the old one. */
  void put(Parameter p, String slot, Tensor value) {
    NdArray old = slots.put(key(p, slot), engine.detachArray(value));
    if (old != null) {
      old.close();
    }
  }

  /** Replaces every slot with copies of the given arrays. */
  void restore(Map<String, NdArray> saved) {
    close();
    saved.forEach((key, array) -> slots.put(key, engine.detachArray(engine.wrap(array).add(0.0))));
  }

  /** Read-only view of every slot by "parameter/slot" key (for checkpoints). */
  Map<String, NdArray> all() {
    return java.util.Collections.unmodifiableMap(slots);
  }

  private static String key(Parameter p, String slot) {
    return p.name() + "/" + slot;
  }

  @Override
  public void close() {
    slots.values().forEach(NdArray::close);
    slots.clear();
  }
}
