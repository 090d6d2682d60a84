package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The variant commands end to end on a tiny MNIST-shaped data set written here: training with a
 * variant by name writes its terms and the latent diagnostics, and `compare`, `traverse` and
 * `variants` work on the runs; a bad variant option stops with the options there are.
 */
class VariantCommandsTest {
  @TempDir
  static Path dir;

  private static Path data;

  @BeforeAll
  static void writeTinyMnist() throws IOException {
    data = Files.createDirectories(dir.resolve("mnist"));
    Random random = new Random(5);
    for (String split : List.of("train", "t10k")) {
      int n = split.equals("train") ? 256 : 64;
      byte[] pixels = new byte[n * 28 * 28];
      byte[] labels = new byte[n];
      for (int i = 0; i < n; i++) {
        labels[i] = (byte) (i % 10);
        for (int p = 0; p < 28 * 28; p++) {
          // A band whose position depends on the label, plus noise: something for the encoder to find.
          boolean on = Math.abs(p / 28 - 2 * labels[i] - 4) < 3 || random.nextDouble() < 0.05;
          pixels[i * 784 + p] = (byte) (on ? 230 : 10);
        }
      }
      Files.write(data.resolve(split + "-images-idx3-ubyte"), idx(0x803, new int[] {n, 28, 28}, pixels));
      Files.write(data.resolve(split + "-labels-idx1-ubyte"), idx(0x801, new int[] {n}, labels));
    }
  }

  private static byte[] idx(int magic, int[] dims, byte[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(values).array();
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result vae(String... args) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = VaeCommand.commandLine();
      cli.setErr(new PrintWriter(err));
      int code = cli.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(previous);
    }
  }

  private static Result train(String run, String variant, String options) {
    return vae("train", "--run", dir.resolve(run).toString(), "--data-dir", data.toString(), "--epochs", "3",
        "--hidden", "32", "--latent", "3", "--batch-size", "64", "--variant", variant, "--variant-options", options);
  }

  @Test
  void aVariantTrainsByNameAndItsRunsCompareAndTraverse() throws IOException {
    Result beta = train("beta", "beta", "beta=2,schedule=linear,warmup-steps=100");
    assertThat(beta.exitCode()).as(beta.err()).isZero();
    assertThat(beta.out()).contains("variant beta").contains("warning: the KL warm-up of 100 steps is longer");
    List<String> metrics = Files.readAllLines(dir.resolve("beta/metrics.csv"));
    assertThat(metrics.get(0)).contains("active_units", "mutual_information", "variant_beta", "kl_2");
    assertThat(metrics).hasSize(4);
    assertThat(dir.resolve("beta/diagnostics.png")).isNotEmptyFile();
    assertThat(dir.resolve("beta/traversals.png")).isNotEmptyFile();

    Result delta = train("delta", "delta", "delta=0.5");
    assertThat(delta.exitCode()).as(delta.err()).isZero();
    Result compare = vae("compare", "--runs", dir.resolve("beta") + "," + dir.resolve("delta"), "--labels", "b,d",
        "--data-dir", data.toString(), "--examples", "64", "--out", dir.resolve("compare.png").toString());
    assertThat(compare.exitCode()).as(compare.err()).isZero();
    assertThat(dir.resolve("compare.png")).isNotEmptyFile();
    String deltaRow = compare.out().lines().filter(l -> l.startsWith("| d |")).findFirst().orElseThrow();
    double smallestKl = Double.parseDouble(deltaRow.split("\\|")[4].trim());
    assertThat(smallestKl).as("the committed rate on every dimension").isGreaterThanOrEqualTo(0.5 - 1e-5);

    Files.delete(dir.resolve("beta/traversals.png"));
    Result traverse = vae("traverse", "--run", dir.resolve("beta").toString(), "--data-dir", data.toString(),
        "--dimensions", "2", "--steps", "5");
    assertThat(traverse.exitCode()).as(traverse.err()).isZero();
    assertThat(dir.resolve("beta/traversals.png")).isNotEmptyFile();
  }

  @Test
  void variantsAreListedAndABadOptionNamesTheOnesThereAre() {
    Result list = vae("variants");
    assertThat(list.out()).contains("elbo", "beta", "capacity", "free-bits", "iwae", "delta");
    Result bad = train("typo", "free-bits", "lamda=1");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("has no option 'lamda'").contains("lambda");
  }
}
