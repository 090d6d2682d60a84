package dev.vae.examples.cli;

import dev.vae.core.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The models of a lesson that compares several, each trained in its own directory under the
 * lesson's {@code --run} (by default {@code runs/lesson-NAME}, not the runs/mnist of the other
 * commands) by the ordinary {@code vae} commands, with the data and backend options of the lesson's
 * own command. Run again, a lesson goes on from the runs it has: a finished one has nothing left to
 * train.
 */
final class LessonRuns {
  private final RunOptions lesson;

  /** The runs of the lesson command {@code spec} with options {@code options}; makes its directory. */
  LessonRuns(RunOptions options, CommandSpec spec) throws IOException {
    boolean named = spec.commandLine().getParseResult().hasMatchedOption("--run");
    this.lesson = named ? options : options.withRun(Path.of("runs", "lesson-" + spec.name()));
    Files.createDirectories(lesson.run);
  }

  /** The lesson's directory, where its picture goes. */
  Path directory() {
    return lesson.run;
  }

  /** Trains run {@code name} with {@code vae train} and the given options (no pictures); returns its directory. */
  Path train(String name, List<String> options) {
    Path dir = lesson.run.resolve(name);
    List<String> args = new ArrayList<>(List.of("train", "--run", dir.toString(), "--no-pictures"));
    args.addAll(options);
    if (Files.exists(dir.resolve(RunDirectory.CHECKPOINTS).resolve("LATEST"))) {
      args.add("--resume");
    }
    execute(args);
    return dir;
  }

  /**
   * The options of {@code vae train} for one model of a lesson: its epochs, the lesson's own
   * options for it, then the user's {@code --model} string split at white space.
   */
  static List<String> trainOptions(int epochs, String model, String... own) {
    List<String> options = new ArrayList<>(List.of("--epochs", Integer.toString(epochs)));
    options.addAll(List.of(own));
    options.addAll(List.of(model.trim().split("\\s+")));
    return options;
  }

  /** Runs {@code vae evaluate} on a run with the given options; its numbers go to the run's evaluation file. */
  void evaluate(Path dir, String... options) {
    List<String> args = new ArrayList<>(List.of("evaluate", "--run", dir.toString()));
    args.addAll(List.of(options));
    execute(args);
  }

  /** Runs {@code vae compare} over the runs, captioned by the labels, writing {@code picture} in the lesson's directory. */
  void compare(List<Path> runs, List<String> labels, String picture) {
    execute(new ArrayList<>(List.of("compare", "--runs", String.join(",", runs.stream().map(Path::toString).toList()),
        "--labels", String.join(",", labels), "--examples", "1000", "--out", lesson.run.resolve(picture).toString())));
  }

  /**
   * The number that follows {@code label} and a space in a run's evaluation file, where the label
   * starts a line (for example "-log p(x)") or follows ", ", ": " or "(" (for example "PCA (20
   * components)", "VAE (mean decoder)", "KL"), as written.
   */
  static String evaluated(Path dir, String label) throws IOException {
    Pattern field = Pattern.compile("(?:^|, |: |\\()" + Pattern.quote(label) + " (-?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?"
        + "|NaN|Infinity))");
    for (String line : Files.readAllLines(dir.resolve(RunReport.EVALUATION_FILE))) {
      Matcher number = field.matcher(line);
      if (number.find()) {
        return number.group(1);
      }
    }
    throw new IllegalStateException(dir.resolve(RunReport.EVALUATION_FILE) + " has no number after '" + label
        + "'; was it written by this version's vae evaluate?");
  }

  private void execute(List<String> args) {
    if (lesson.dataDir != null) {
      args.addAll(List.of("--data-dir", lesson.dataDir.toString()));
    }
    if (lesson.backend != null) {
      args.addAll(List.of("--backend", lesson.backend));
    }
    int code = VaeCommand.commandLine().execute(args.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("vae " + String.join(" ", args) + " failed with exit code " + code);
    }
  }
}
