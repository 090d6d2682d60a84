package dev.vae.examples.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.cli.VaeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Drop a jar on the classpath and it works": the unchanged {@code vae} command line, with only
 * this module's classes added to its classpath, lists the logistic likelihood, trains a model
 * with it by name for one epoch on a small MNIST-shaped data set, evaluates it and draws samples.
 */
class DropInPluginTest {
  private static final int SIDE = 28;

  /** What a command printed, and its exit code. */
  private record Result(int exitCode, String out) {}

  private static Result vae(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      code = VaeCommand.commandLine().execute(args);
    } finally {
      System.setOut(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return new Result(code, text);
  }

  @Test
  void theCommandLineListsTheLogisticAndTrainsEvaluatesAndSamplesWithItByName(@TempDir Path dir) throws IOException {
    Path data = writeSyntheticMnist(dir.resolve("data"), 256, 64);
    Path run = dir.resolve("run");

    Result listed = vae("likelihoods");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out()).containsPattern("(?m)^logistic\\s+logistic with location and scale");

    Result trained = vae("train", "--run", run.toString(), "--data-dir", data.toString(), "--binarize", "none",
        "--likelihood", "logistic", "--likelihood-options", "min-scale=0.01", "--epochs", "1", "--batch-size", "32",
        "--hidden", "32", "--latent", "2", "--no-pictures");
    assertThat(trained.exitCode()).as(trained.out()).isZero();
    assertThat(trained.out()).contains("likelihood logistic");
    List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(metrics).hasSize(2);
    List<String> header = Arrays.asList(metrics.get(0).split(","));
    String[] epoch = metrics.get(1).split(",");
    for (String column : List.of("train_elbo", "train_reconstruction", "train_kl")) {
      assertThat(Double.parseDouble(epoch[header.indexOf(column)])).as(column).isFinite();
    }
    try (var checkpoints = Files.list(run.resolve("checkpoints"))) {
      assertThat(checkpoints.count()).as("checkpoints written").isPositive();
    }

    Result evaluated = vae("evaluate", "--run", run.toString(), "--data-dir", data.toString(), "-k", "20",
        "--subset", "32", "--no-pca");
    assertThat(evaluated.exitCode()).as(evaluated.out()).isZero();
    Matcher nll = Pattern.compile("-log p\\(x\\) (\\S+) nats").matcher(evaluated.out());
    assertThat(nll.find()).as(evaluated.out()).isTrue();
    assertThat(Double.parseDouble(nll.group(1))).isFinite();

    Result sampled = vae("sample", "--run", run.toString(), "--data-dir", data.toString(), "-n", "8");
    assertThat(sampled.exitCode()).as(sampled.out()).isZero();
    assertThat(run.resolve("samples.png")).isNotEmptyFile();
  }

  /**
   * MNIST-shaped IDX files (28 × 28 images, digit labels): each image a bright bar at a random
   * place and angle over a dark background, with a little noise.
   */
  private static Path writeSyntheticMnist(Path dir, int train, int test) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(1);
    writeSplit(dir, "train", train, random);
    writeSplit(dir, "t10k", test, random);
    return dir;
  }

  private static void writeSplit(Path dir, String prefix, int count, Random random) throws IOException {
    ByteBuffer images = ByteBuffer.allocate(16 + count * SIDE * SIDE);
    images.putInt(0x00000803).putInt(count).putInt(SIDE).putInt(SIDE);
    ByteBuffer labels = ByteBuffer.allocate(8 + count);
    labels.putInt(0x00000801).putInt(count);
    for (int i = 0; i < count; i++) {
      double cx = 8 + 12 * random.nextDouble();
      double cy = 8 + 12 * random.nextDouble();
      double angle = Math.PI * random.nextDouble();
      for (int r = 0; r < SIDE; r++) {
        for (int c = 0; c < SIDE; c++) {
          double across = Math.abs((c - cx) * Math.sin(angle) - (r - cy) * Math.cos(angle));
          double along = Math.abs((c - cx) * Math.cos(angle) + (r - cy) * Math.sin(angle));
          double value = across < 1.5 && along < 7 ? 0.9 : 0.05;
          value += 0.05 * random.nextGaussian();
          images.put((byte) Math.round(255 * Math.min(1, Math.max(0, value))));
        }
      }
      labels.put((byte) (i % 10));
    }
    Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
    Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
  }
}
