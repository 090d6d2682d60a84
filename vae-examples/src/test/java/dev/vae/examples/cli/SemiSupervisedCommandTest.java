package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vae semi-supervised} refuses a wrong model choice before it loads any data, saying what it expects. */
class SemiSupervisedCommandTest {
  private static String errorOf(String... args) {
    CommandLine cli = VaeCommand.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).isEqualTo(1);
    return err.toString();
  }

  @Test
  void anUnknownModelListsTheInstalledVariants() {
    assertThat(errorOf("semi-supervised", "--model", "m3")).contains("no variant named 'm3'").contains("m1+m2, m2");
  }

  @Test
  void aVariantThatIsNotSemiSupervisedIsRefused() {
    assertThat(errorOf("semi-supervised", "--model", "elbo"))
        .contains("--model elbo is not a semi-supervised model; expected m2 or m1+m2");
  }

  @Test
  void m1PlusM2NeedsTheRunOfM1AndM2DoesNotTakeOne() {
    assertThat(errorOf("semi-supervised", "--model", "m1+m2")).contains("--model m1+m2 needs --m1-run DIR");
    assertThat(errorOf("semi-supervised", "--model", "m2", "--m1-run", "runs/m1"))
        .contains("--m1-run is for --model m1+m2 only");
  }
}
