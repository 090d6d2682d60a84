package dev.vae.examples.cli;

import dev.vae.core.io.Checkpoint;
import dev.vae.core.run.RecordedOptions;
import dev.vae.core.run.RunDirectory;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
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
 * @param command the command parsed from {@code options} when resuming, else the one given
 */
record TrainingStart<T>(RunDirectory dir, Optional<Checkpoint> previous, RecordedOptions.Resolution options,
    T command) {
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
   * Runs a training command: each option is checked before the run directory is looked into, so
   * that a mistyped option is what gets reported; the options that go together once a resumed
   * run's are known (a run of the gaussian likelihood may be resumed with {@code
   * --likelihood-options} alone); then it trains. Nothing is created for a run that cannot start.
   */
  static <T extends Command<T>> int run(CommandSpec spec, T given, RunOptions run, ResumeOptions resume,
      String name, Supplier<T> fresh, Function<Checkpoint, Map<String, String>> recorded) throws IOException {
    given.checkEach();
    TrainingStart<T> start = of(spec, given, run, resume, name, fresh, recorded);
    start.command().checkEach();
    start.command().checkTogether();
    return start.command().train(start);
  }

  /**
   * The start of {@code given}, a parsed command named {@code name} with its {@code run} and
   * {@code resume} options; {@code fresh} makes an unparsed instance, and {@code recorded} reads a
   * checkpoint's recorded options.
   */
  private static <T> TrainingStart<T> of(CommandSpec spec, T given, RunOptions run, ResumeOptions resume, String name,
      Supplier<T> fresh, Function<Checkpoint, Map<String, String>> recorded) throws IOException {
    RunDirectory dir = RunDirectory.of(run.run, name);
    Optional<Checkpoint> previous = dir.checkpointToResume(resume.resume);
    Map<String, String> requested = RecordedCommandOptions.values(spec);
    if (previous.isEmpty()) {
      return new TrainingStart<>(dir, previous, new RecordedOptions.Resolution(requested, List.of()), given);
    }
    RecordedOptions.Resolution options = RecordedOptions.resolve(recorded.apply(previous.get()), requested,
        RecordedCommandOptions.given(spec), resume.overrides, CHANGEABLE);
    return new TrainingStart<>(dir, previous, options,
        RecordedCommandOptions.parse(fresh.get(), options.values(), spec));
  }
}
