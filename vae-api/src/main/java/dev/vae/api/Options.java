package dev.vae.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named string options for a plugin (from the command line, "sigma=0.1,min-sigma=1e-3", or from
 * code), read with typed getters. A plugin reads the options it knows and then calls
 * {@link #requireAllUsed}, so a typo fails with the list of options the plugin accepts.
 */
public final class Options {
  private final Map<String, String> values;
  private final Set<String> read = new TreeSet<>();

  public Options(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static Options none() {
    return new Options(Map.of());
  }

  /** Parses "key=value,key=value" (blank gives no options). */
  public static Options parse(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    if (text != null && !text.isBlank()) {
      for (String pair : text.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("option '" + pair.trim() + "' is not of the form key=value");
        }
        map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return new Options(map);
  }

  public Map<String, String> asMap() {
    return values;
  }

  public boolean has(String key) {
    read.add(key);
    return values.containsKey(key);
  }

  public String getString(String key, String fallback) {
    read.add(key);
    return values.getOrDefault(key, fallback);
  }

  public double getDouble(String key, double fallback) {
    read.add(key);
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + key + "=" + v + " is not a number", e);
    }
  }

  public int getInt(String key, int fallback) {
    read.add(key);
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + key + "=" + v + " is not an integer", e);
    }
  }

  public boolean getBoolean(String key, boolean fallback) {
    read.add(key);
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("option " + key + "=" + v + " must be true or false");
    }
    return Boolean.parseBoolean(v);
  }

  /** Fails if an option was given that the plugin never read, listing the ones it did read. */
  public void requireAllUsed(String plugin) {
    for (String key : values.keySet()) {
      if (!read.contains(key)) {
        throw new IllegalArgumentException(plugin + " has no option '" + key + "'; its options are " + read);
      }
    }
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
