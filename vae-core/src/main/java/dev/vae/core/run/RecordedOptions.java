package dev.vae.core.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options that shaped a run, by option name without dashes ({@code lr}, {@code latent},
 * {@code limit}), as the strings the user gave (or the defaults), recorded in every checkpoint
 * under {@value #PREFIX}. A resumed run goes on with them: an option the user gives again with the
 * same value is accepted, one left out takes the recorded value, and one given with another value
 * is refused, naming each difference with both values, unless it is {@linkplain #resolve
 * changeable} (the number of epochs) or named with {@code --override}, a deliberate change that
 * the run records.
 */
public final class RecordedOptions {
  /** The checkpoint configuration prefix of recorded options. */
  public static final String PREFIX = "option.";
  /** The checkpoint configuration key of the deliberate changes made on resumes so far. */
  public static final String OVERRIDES_KEY = "run.overrides";

  private RecordedOptions() {}

  /** The options as checkpoint configuration entries, each key under {@value #PREFIX}. */
  public static Map<String, String> toConfig(Map<String, String> options) {
    Map<String, String> config = new LinkedHashMap<>();
    options.forEach((name, value) -> config.put(PREFIX + name, value));
    return config;
  }

  /** The options a checkpoint's configuration records; empty for a run of a version that recorded none. */
  public static Map<String, String> fromConfig(Map<String, String> config) {
    Map<String, String> options = new LinkedHashMap<>();
    config.forEach((key, value) -> {
      if (key.startsWith(PREFIX)) {
        options.put(key.substring(PREFIX.length()), value);
      }
    });
    return options;
  }

  /**
   * The options a resumed run goes on with, and the deliberate changes among them.
   *
   * @param values every option, by name
   * @param overridden each deliberate change in words ({@code lr: 0.001 -> 0.0005}), in option order
   */
  public record Resolution(Map<String, String> values, List<String> overridden) {
    public Resolution {
      values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
      overridden = List.copyOf(overridden);
    }
  }

  /**
   * Merges what a run recorded with what the user asks for now.
   *
   * @param recorded the options the run recorded (empty when it recorded none: then every option
   *     given must be changeable, since nothing says what the run began with)
   * @param requested every option the command knows, given or defaulted, by name
   * @param given the options the user typed
   * @param overrides the options the user named with {@code --override}
   * @param changeable options that may change without an override (e.g. {@code epochs})
   * @throws IllegalArgumentException naming every option that differs with both values, every
   *     override that names no option or no new value, and what to do instead
   */
  public static Resolution resolve(Map<String, String> recorded, Map<String, String> requested, Set<String> given,
      Set<String> overrides, Set<String> changeable) {
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(overrides)) {
      if (!requested.containsKey(name)) {
        problems.add("--override " + name + ": there is no option --" + name + "; options: "
            + String.join(", ", new TreeSet<>(requested.keySet())));
      } else if (!given.contains(name)) {
        problems.add("--override " + name + ": give the new value too, as --" + name + " VALUE");
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    List<String> overridden = new ArrayList<>();
    for (Map.Entry<String, String> option : requested.entrySet()) {
      String name = option.getKey();
      String now = option.getValue();
      String then = recorded.get(name);
      boolean typed = given.contains(name);
      if (recorded.isEmpty() && typed && !changeable.contains(name)) {
        problems.add("--" + name + " " + now + ": this run did not record its options (it was written by an earlier "
            + "version), so a changed option cannot be checked; resume it without --" + name);
      }
      if (then == null || !typed) {
        values.put(name, then == null ? now : then);
      } else if (sameValue(then, now) || changeable.contains(name)) {
        values.put(name, now);
      } else if (overrides.contains(name)) {
        values.put(name, now);
        overridden.add(name + ": " + then + " -> " + now);
      } else {
        problems.add("--" + name + " was " + shown(then) + " when the run began but is " + shown(now) + " now");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("--resume: the options differ from the run's:\n  " + String.join("\n  ",
          problems) + "\nresume without those options (the run goes on with the values it began with), or name each "
          + "deliberate change with --override NAME (it is recorded in the run)");
    }
    return new Resolution(values, overridden);
  }

  /**
   * The value of {@value #OVERRIDES_KEY} after a resume at {@code epochsDone} that made the changes
   * {@code overridden}: the earlier changes the run recorded, then these, each with the epoch.
   */
  public static String overridesAfter(Map<String, String> config, List<String> overridden, int epochsDone) {
    List<String> all = new ArrayList<>();
    String earlier = config.getOrDefault(OVERRIDES_KEY, "");
    if (!earlier.isEmpty()) {
      all.add(earlier);
    }
    overridden.forEach(change -> all.add("after epoch " + epochsDone + ", " + change));
    return String.join("; ", all);
  }

  /** Equal as text, or as numbers ({@code 1e-3} and {@code 0.001}). */
  private static boolean sameValue(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return Double.parseDouble(a) == Double.parseDouble(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String shown(String value) {
    return value.isEmpty() ? "empty" : "'" + value + "'";
  }
}
