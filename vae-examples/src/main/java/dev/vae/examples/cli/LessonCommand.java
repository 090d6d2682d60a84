package dev.vae.examples.cli;

import picocli.CommandLine.Command;

/**
 * {@code vae lesson NAME}: the textbook lessons of VAEs, each reproduced by one command that writes
 * its picture and prints its numbers; docs/lessons.md tells each lesson's claim and result.
 */
@Command(name = "lesson", mixinStandardHelpOptions = true,
    description = "Reproduce one of the lessons of docs/lessons.md: its picture and its numbers.",
    subcommands = {DecoderVarianceLesson.class, BetaLesson.class, PriorHolesLesson.class, TruePosteriorLesson.class,
        EncoderLesson.class, PcaLesson.class, LinearVaeLesson.class, RingLesson.class, LatentWalkLesson.class})
final class LessonCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a lesson: "
        + String.join(", ", spec.subcommands().keySet()));
  }
}
