package dev.vae.core.io;

import dev.vae.api.Rng;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything needed to resume training, in host memory and independent of any backend: parameters
 * and optimizer state as {@link HostTensor}s by name, the step and epoch reached, the state of each
 * named random stream, the run's configuration, and any further key/value pairs the trainer wants
 * back (learning-rate schedule position, best validation score, ...).
 *
 * <p>All maps are copied into unmodifiable maps sorted by key; names must be non-empty and no key
 * or value may be null. {@link CheckpointStore} saves and loads checkpoints.
 *
 * @param step optimizer steps taken (non-negative); names the checkpoint's directory
 * @param epoch passes over the data set completed (non-negative)
 * @param parameters the model's parameters by name (e.g. {@code encoder.0.weight})
 * @param optimizerState the optimizer's slots by name (e.g. {@code encoder.0.weight/m})
 * @param rngStates random streams by role (e.g. {@code data}, {@code model})
 * @param config the run's configuration as strings
 * @param extras further values the trainer stores and reads back
 */
public record Checkpoint(long step, long epoch, Map<String, HostTensor> parameters,
    Map<String, HostTensor> optimizerState, Map<String, RngState> rngStates, Map<String, String> config,
    Map<String, String> extras) {

  /** Validates and copies, see the class comment. */
  public Checkpoint {
    if (step < 0 || epoch < 0) {
      throw new IllegalArgumentException("step and epoch must be non-negative, got step " + step + ", epoch "
          + epoch);
    }
    parameters = copy(parameters, "parameters");
    optimizerState = copy(optimizerState, "optimizerState");
    rngStates = copy(rngStates, "rngStates");
    config = copy(config, "config");
    extras = copy(extras, "extras");
  }

  private static <V> SortedMap<String, V> copy(Map<String, V> map, String what) {
    Objects.requireNonNull(map, what);
    TreeMap<String, V> copy = new TreeMap<>();
    for (Map.Entry<String, V> e : map.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), () -> what + " has a null name");
      if (key.isEmpty()) {
        throw new IllegalArgumentException(what + " has an empty name");
      }
      copy.put(key, Objects.requireNonNull(e.getValue(), () -> what + " entry " + key + " is null"));
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  /** A builder for the checkpoint of {@code step}; everything else starts empty (epoch 0). */
  public static Builder builder(long step) {
    return new Builder(step);
  }

  /** Collects a checkpoint's parts; later values for the same name replace earlier ones. */
  public static final class Builder {
    private final long step;
    private long epoch;
    private final Map<String, HostTensor> parameters = new LinkedHashMap<>();
    private final Map<String, HostTensor> optimizerState = new LinkedHashMap<>();
    private final Map<String, RngState> rngStates = new LinkedHashMap<>();
    private final Map<String, String> config = new LinkedHashMap<>();
    private final Map<String, String> extras = new LinkedHashMap<>();

    private Builder(long step) {
      this.step = step;
    }

    /** Sets the epoch. */
    public Builder epoch(long value) {
      this.epoch = value;
      return this;
    }

    /** Adds one parameter. */
    public Builder parameter(String name, HostTensor value) {
      parameters.put(name, value);
      return this;
    }

    /** Adds parameters. */
    public Builder parameters(Map<String, HostTensor> values) {
      parameters.putAll(values);
      return this;
    }

    /** Adds one optimizer slot. */
    public Builder optimizerSlot(String name, HostTensor value) {
      optimizerState.put(name, value);
      return this;
    }

    /** Adds optimizer slots. */
    public Builder optimizerState(Map<String, HostTensor> values) {
      optimizerState.putAll(values);
      return this;
    }

    /** Records a random stream's state under a role name. */
    public Builder rng(String name, RngState state) {
      rngStates.put(name, state);
      return this;
    }

    /** Records {@code rng}'s current state under a role name. */
    public Builder rng(String name, Rng rng) {
      return rng(name, RngState.of(rng));
    }

    /** Adds one configuration entry. */
    public Builder config(String key, String value) {
      config.put(key, value);
      return this;
    }

    /** Adds configuration entries. */
    public Builder config(Map<String, String> values) {
      config.putAll(values);
      return this;
    }

    /** Adds one further value. */
    public Builder extra(String key, String value) {
      extras.put(key, value);
      return this;
    }

    /** Adds further values. */
    public Builder extras(Map<String, String> values) {
      extras.putAll(values);
      return this;
    }

    /** The checkpoint; fails as the record's constructor does. */
    public Checkpoint build() {
      return new Checkpoint(step, epoch, parameters, optimizerState, rngStates, config, extras);
    }
  }
}
