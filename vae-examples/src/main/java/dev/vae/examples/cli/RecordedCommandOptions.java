package dev.vae.examples.cli;

import dev.vae.core.posterior.PlanarFlows;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options of a training command that shape its run, as the strings given or defaulted, by
 * name without dashes: what the run records, and what a resumed run is parsed from again. The
 * options of {@link RunOptions} and {@link ResumeOptions}, those every command inherits from
 * {@link VaeCommand} (how much it logs) and help are left out: where the run is, which backend runs
 * it, whether it resumes and what it logs do not change what it computes.
 */
final class RecordedCommandOptions {
  private RecordedCommandOptions() {}

  /** Every recorded option of the parsed command {@code spec}, given or default. */
  static Map<String, String> values(CommandSpec spec) {
    Map<String, String> values = new LinkedHashMap<>();
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    for (OptionSpec option : recorded(spec)) {
      OptionSpec matched = parsed == null ? null : parsed.matchedOption(option.longestName());
      String value = option.arity().max() == 0 ? String.valueOf((Object) option.getValue())
          : matched != null ? String.join(",", matched.originalStringValues())
          : option.defaultValue() == null ? "" : option.defaultValue();
      values.put(name(option), value);
    }
    return values;
  }

  /**
   * {@code recorded} with every recorded option it lacks at its default: a run that recorded its
   * options began with the default of an option made after it. Options since replaced are read as
   * their replacements ({@link #replaced}).
   */
  static Map<String, String> withDefaults(Map<String, String> recorded, CommandSpec spec) {
    Map<String, String> complete = replaced(recorded);
    for (OptionSpec option : recorded(spec)) {
      complete.putIfAbsent(name(option), option.arity().max() == 0 ? "false"
          : option.defaultValue() == null ? "" : option.defaultValue());
    }
    return complete;
  }

  /**
   * {@code options} with those since replaced written as their replacements: {@code flow-steps} K,
   * from before posteriors were plugins, is {@code --posterior planar --posterior-options steps=K}
   * (nothing for K = 0). Each replacement takes the replaced option's place in the order.
   */
  static Map<String, String> replaced(Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>();
    options.forEach((name, value) -> {
      if (!name.equals("flow-steps")) {
        out.put(name, value);
      } else if (!value.equals("0")) {
        out.putIfAbsent("posterior", PlanarFlows.NAME);
        out.putIfAbsent("posterior-options", "steps=" + value);
      }
    });
    return out;
  }

  /** The recorded options the user typed. */
  static Set<String> given(CommandSpec spec) {
    Set<String> given = new LinkedHashSet<>();
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    for (OptionSpec option : recorded(spec)) {
      if (parsed != null && parsed.hasMatchedOption(option.longestName())) {
        given.add(name(option));
      }
    }
    return given;
  }

  /**
   * {@code command}, a fresh instance, parsed from recorded option values; an empty value of an
   * option without a default stands for an option that was not given. The options that are not
   * recorded ({@link RunOptions}, {@link ResumeOptions}) take their values from {@code given}, the
   * command as the user gave it.
   */
  static <T> T parse(T command, Map<String, String> values, CommandSpec given) {
    CommandLine line = new CommandLine(command);
    List<String> args = new ArrayList<>();
    for (OptionSpec option : recorded(line.getCommandSpec())) {
      String value = values.get(name(option));
      if (value == null) {
        continue;
      }
      if (option.arity().max() == 0) {
        if (Boolean.parseBoolean(value)) {
          args.add(option.longestName());
        }
      } else if (!value.isEmpty() || option.defaultValue() != null && !option.defaultValue().isEmpty()) {
        args.add(option.longestName() + "=" + value);
      }
    }
    line.parseArgs(args.toArray(String[]::new));
    Set<String> recordedNames = new HashSet<>();
    recorded(given).forEach(o -> recordedNames.add(o.longestName()));
    for (OptionSpec option : given.options()) {
      if (!option.usageHelp() && !option.versionHelp() && !option.inherited()
          && !recordedNames.contains(option.longestName())) {
        line.getCommandSpec().findOption(option.longestName()).setValue(option.getValue());
      }
    }
    return command;
  }

  private static List<OptionSpec> recorded(CommandSpec spec) {
    Set<OptionSpec> mixed = new HashSet<>();
    spec.mixins().values().stream()
        .filter(m -> m.userObject() instanceof RunOptions || m.userObject() instanceof ResumeOptions)
        .forEach(m -> mixed.addAll(m.options()));
    return spec.options().stream().filter(o -> !o.usageHelp() && !o.versionHelp() && !o.inherited())
        .filter(o -> mixed.stream().noneMatch(m -> m.longestName().equals(o.longestName()))).toList();
  }

  private static String name(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }
}
