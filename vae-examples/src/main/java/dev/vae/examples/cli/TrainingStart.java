package dev.vae.examples.cli;

import dev.vae.core.io.Checkpoint;
import dev.vae.core.run.RecordedOptions;
import dev.vae.core.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How a training command starts, the same for every one: its run directory, the checkpoint it
 * resumes from (if any), the options it goes on with (the run's recorded ones merged with those
 * given, see {@link RecordedOptions#resolve}; {@code --epochs} may change), and the command as
 * those options parse, with the directory and resume options it was given.
 *
 * @param <T> the command
 * @param dir the run directory, not yet made or written
 * @param previous the checkpoint to resume from
 * @param options the options the run goes on with, and the deliberate changes among them
 * @param command the command parsed from {@code options} when resuming or reading a file, else the one given
 * @param name the command's name, recorded in the run
 * @param recordsOptions whether the run records its options (a run of an earlier version may not)
 */
record TrainingStart<T>(RunDirectory dir, Optional<Checkpoint> previous, RecordedOptions.Resolution options,
    T command, String name, boolean recordsOptions) {
  private static final Set<String> CHANGEABLE = Set.of("epochs");

  /** A command that trains a run, in the steps every one takes. */
  interface Command<T> {
    /** Fails, naming the option, unless each option's value is allowed on its own. */
    void checkEach();

    /** Fails unless the options that go together (a plugin and its options) fit. */
    void checkTogether();

    /** Trains the run that {@code start} describes. */
    int train(TrainingStart<T> start) throws IOException;
  }

  /**
   * Runs a training command: each option given is checked before the run directory is looked into,
   * so that a mistyped option is what gets reported; the options of a {@code --config} file are
   * merged in (the command line wins); the options that go together are checked once a resumed
   * run's are known (a run of the gaussian likelihood may be resumed with {@code
   * --likelihood-options} alone); then it trains. Nothing is created for a run that cannot start,
   * and an error about an option from the file names the file and its line.
   */
  static <T extends Command<T>> int run(CommandSpec spec, T given, RunOptions run, ResumeOptions resume,
      String name, Supplier<T> fresh, Function<Checkpoint, Map<String, String>> recorded) throws IOException {
    given.checkEach();
    Asked asked = Asked.of(spec, run, resume, name);
    TrainingStart<T> start;
    try {
      start = of(given, run, resume, name, fresh, recorded, asked);
      start.command().checkEach();
      start.command().checkTogether();
    } catch (IllegalArgumentException | CommandLine.ParameterException e) {
      throw asked.config().isPresent() ? asked.config().get().located(e, asked.fromFile()) : e;
    }
    return start.command().train(start);
  }

  /**
   * Makes the run directory, proves it writable, and writes the run's resolved options ({@value
   * ConfigFile#RUN_FILE}); a run of an earlier version that recorded no options gets none, since
   * its options are its checkpoint's, not these.
   */
  void prepare() throws IOException {
    dir.prepareForWriting();
    if (recordsOptions) {
      ConfigFile.write(dir.resolve(ConfigFile.RUN_FILE), name, options.values());
    }
  }

  /**
   * What the user asks for: every recorded option's value (the command line's, else the file's,
   * else the default), the options named on the command line or in the file, those from the file,
   * and the file.
   */
  private record Asked(CommandSpec spec, Map<String, String> values, Set<String> names, Set<String> fromFile,
      Optional<ConfigFile> config) {
    /** The options of {@link RunOptions} a file may give (where the run is stays on the command line). */
    private static final Set<String> RUN_KEYS = Set.of("backend", "data-dir");
    /** Options that say what to do with this run, not what it is: the command line's alone. */
    private static final Set<String> COMMAND_LINE_ONLY = Set.of("run", "resume", "override", "config", "no-pictures");

    static Asked of(CommandSpec spec, RunOptions run, ResumeOptions resume, String name) throws IOException {
      Map<String, String> values = RecordedCommandOptions.values(spec);
      Set<String> names = RecordedCommandOptions.given(spec);
      Set<String> fromFile = new LinkedHashSet<>();
      if (resume.config == null) {
        return new Asked(spec, values, names, fromFile, Optional.empty());
      }
      Set<String> known = new HashSet<>(values.keySet());
      known.addAll(RUN_KEYS);
      ConfigFile config = ConfigFile.read(resume.config, name, known, COMMAND_LINE_ONLY);
      config.options().forEach((key, value) -> {
        if (!names.contains(key) && values.containsKey(key)) {
          values.put(key, value);
          fromFile.add(key);
        }
      });
      if (run.backend == null) {
        run.backend = config.options().get("backend");
      }
      if (run.dataDir == null && config.options().containsKey("data-dir")) {
        run.dataDir = Path.of(config.options().get("data-dir"));
      }
      names.addAll(fromFile);
      return new Asked(spec, values, names, fromFile, Optional.of(config));
    }
  }

  /**
   * The start of {@code given}, a parsed command named {@code name} with its {@code run} and
   * {@code resume} options, asking for {@code asked}; {@code fresh} makes an unparsed instance, and
   * {@code recorded} reads a checkpoint's recorded options.
   */
  private static <T> TrainingStart<T> of(T given, RunOptions run, ResumeOptions resume, String name,
      Supplier<T> fresh, Function<Checkpoint, Map<String, String>> recorded, Asked asked) throws IOException {
    RunDirectory dir = RunDirectory.of(run.run, name);
    Optional<Checkpoint> previous = dir.checkpointToResume(resume.resume);
    if (previous.isEmpty()) {
      RecordedOptions.Resolution options = new RecordedOptions.Resolution(asked.values(), List.of());
      T command = asked.fromFile().isEmpty() ? given
          : RecordedCommandOptions.parse(fresh.get(), asked.values(), asked.spec());
      return new TrainingStart<>(dir, previous, options, command, name, true);
    }
    Map<String, String> recordedOptions = recorded.apply(previous.get());
    Map<String, String> complete = recordedOptions.isEmpty() ? recordedOptions
        : RecordedCommandOptions.withDefaults(recordedOptions, asked.spec());
    RecordedOptions.Resolution options = RecordedOptions.resolve(complete, asked.values(), asked.names(),
        resume.overrides, CHANGEABLE);
    return new TrainingStart<>(dir, previous, options,
        RecordedCommandOptions.parse(fresh.get(), options.values(), asked.spec()), name, !recordedOptions.isEmpty());
  }
}
