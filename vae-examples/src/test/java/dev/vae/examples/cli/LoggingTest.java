package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line logs, in a fresh JVM each time as {@code bin/vae} starts one (the log's
 * level is fixed when its first logger is made): by default one line naming the backend and the
 * warnings; with {@code --verbose} our information too, each line with its logger's name; with
 * {@code --quiet} the warnings only.
 * Each run trains a tiny model for one epoch with a KL warm-up longer than the run, which the
 * trainer warns about.
 */
class LoggingTest {
  private static final String BACKEND_LINE = "INFO cpu backend: Java arrays, products by ";
  private static final String WARM_UP = "WARN the KL warm-up of 1000 steps is longer than the run's ";

  @TempDir
  static Path dir;

  private static Path data;

  /** What one {@code vae} process printed. */
  record Output(int exitCode, String out, List<String> log) {}

  @BeforeAll
  static void writeTinyMnist() throws IOException {
    data = SyntheticMnist.write(dir.resolve("mnist"), 256, 32);
  }

  private static Output vae(String name, String... options) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        VaeCommand.class.getName()));
    command.addAll(List.of(options));
    command.addAll(List.of("train", "--run", dir.resolve(name).toString(), "--data-dir", data.toString(),
        "--backend", "cpu", "--epochs", "1", "--hidden", "8", "--latent", "2", "--batch-size", "64", "--no-pictures",
        "--variant", "beta", "--variant-options", "beta=1,schedule=linear,warmup-steps=1000"));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    Process process = builder.start();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("vae finished").isTrue();
    Output output = new Output(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readAllLines(err, StandardCharsets.UTF_8));
    System.out.print(output.out());
    output.log().forEach(System.out::println);
    assertThat(output.exitCode()).as(String.join("\n", output.log())).isZero();
    assertThat(output.out()).contains("cpu backend; 256 training examples");
    return output;
  }

  @Test
  void byDefaultOneLineNamesTheBackendAndWarningsShow() throws Exception {
    Output run = vae("default");
    assertThat(run.log()).as("the log: the backend, then the warning").hasSize(2);
    assertThat(run.log().get(0)).startsWith(BACKEND_LINE).contains("OpenBLAS");
    assertThat(run.log().get(1)).startsWith(WARM_UP);
  }

  @Test
  void verboseAddsOurInformationWithLoggerNames() throws Exception {
    Output run = vae("verbose", "--verbose");
    assertThat(String.join("\n", run.log()))
        .contains("INFO dev.vae.core.backend.BackendRegistry - Using backend cpu (requested)")
        .contains("INFO dev.vae.backend.cpu.CpuBackend - cpu backend: Java arrays")
        .contains("WARN dev.vae.core.train.Trainer - the KL warm-up of 1000 steps");
    assertThat(run.log()).hasSizeGreaterThan(2);
  }

  @Test
  void quietLeavesOnlyTheWarnings() throws Exception {
    Output run = vae("quiet", "--quiet");
    assertThat(run.log()).as("the log: the warning alone").hasSize(1);
    assertThat(run.log().get(0)).startsWith(WARM_UP);
  }

  @Test
  void theLevelIsNoOptionOfTheRunSoAResumeMayChangeIt() throws IOException {
    Path run = dir.resolve("resumed");
    List<String> train = List.of("train", "--run", run.toString(), "--data-dir", data.toString(), "--backend", "cpu",
        "--hidden", "8", "--latent", "2", "--batch-size", "64", "--no-pictures");
    List<String> first = new ArrayList<>(train);
    first.addAll(List.of("--epochs", "1", "--quiet"));
    VaeRun began = VaeRun.of(first.toArray(String[]::new));
    assertThat(began.exitCode()).as(began.err()).isZero();
    List<String> resume = new ArrayList<>(train);
    resume.addAll(List.of("--epochs", "2", "--resume", "--verbose"));
    VaeRun resumed = VaeRun.of(resume.toArray(String[]::new));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("resuming after epoch 1");
    try (var checkpoints = Files.walk(run.resolve("checkpoints"))) {
      for (Path state : checkpoints.filter(p -> p.endsWith("state.json")).toList()) {
        assertThat(Files.readString(state)).contains("\"option.latent\"")
            .doesNotContain("option.verbose").doesNotContain("option.quiet");
      }
    }
  }

  @Test
  void everyCommandTakesTheLevelBeforeOrAfterItsNameButNotBoth() {
    assertThat(VaeRun.of("--verbose", "likelihoods").exitCode()).isZero();
    assertThat(VaeRun.of("variants", "--quiet").exitCode()).isZero();
    assertThat(VaeLogging.requestedBy(List.of("--verbose", "train"))).isEqualTo(VaeLogging.VERBOSE);
    assertThat(VaeLogging.requestedBy(List.of("train", "--quiet"))).isEqualTo(VaeLogging.QUIET);
    assertThat(VaeLogging.requestedBy(List.of("train", "--", "--verbose"))).isEqualTo(VaeLogging.DEFAULT);
    assertThatThrownBy(() -> VaeLogging.requestedBy(List.of("--verbose", "train", "--quiet")))
        .hasMessage("--verbose and --quiet exclude each other");
  }
}
