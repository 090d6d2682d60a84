package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `vae train --data` on a table of the user's own, then the run's other commands on the same
 * data: the same held-out test rows, the same standardisation, tables where pictures cannot be,
 * and colour pictures through a convolutional model in their own shape.
 */
class OwnDataTest {
  @TempDir
  Path dir;

  /** 200 rows of 4 correlated columns around 50, and a class column: x0 > 50. */
  private Path table() throws IOException {
    Random random = new Random(3);
    StringBuilder csv = new StringBuilder("a,b,c,d,class\n");
    for (int i = 0; i < 200; i++) {
      double z = random.nextGaussian();
      double[] x = {50 + 10 * z, 50 + 5 * z + random.nextGaussian(), 50 - 3 * z, 50 + random.nextGaussian()};
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%d%n", x[0], x[1], x[2], x[3], x[0] > 50 ? 1 : 0));
    }
    return Files.writeString(dir.resolve("table.csv"), csv.toString());
  }

  private VaeRun train(Path run, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--run", run.toString(), "--likelihood", "gaussian",
        "--likelihood-options", "sigma=learned", "--epochs", "2", "--hidden", "8", "--latent", "2",
        "--batch-size", "50"));
    args.addAll(List.of(more));
    return VaeRun.of(args.toArray(String[]::new));
  }

  @Test
  void aTableTrainsAndEveryCommandOfTheRunReadsItAgain() throws IOException {
    Path data = table();
    Path run = dir.resolve("run");
    VaeRun trained = train(run, "--data", data.toString(), "--label-column", "class", "--standardize");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("180 training examples");
    assertThat(run.resolve("samples.csv")).exists();
    assertThat(run.resolve("latent.png")).exists();

    VaeRun encoded = VaeRun.of("encode", "--run", run.toString());
    assertThat(encoded.exitCode()).as(encoded.err()).isZero();
    List<String> rows = Files.readAllLines(run.resolve("encoded-test.csv"));
    assertThat(rows.get(0)).isEqualTo("row,mean_1,mean_2,variance_1,variance_2,label");
    assertThat(rows).hasSize(21);
    assertThat(run.resolve("encoded-test-mean.npy")).exists();
    assertThat(run.resolve("encoded-test-labels.npy")).exists();
    assertThat(run.resolve("encoded-test-rows.npy")).exists();

    VaeRun evaluated = VaeRun.of("evaluate", "--run", run.toString(), "-k", "10");
    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    assertThat(evaluated.out()).contains("examples 20").contains("PCA (2 components)");

    VaeRun reconstructed = VaeRun.of("reconstruct", "--run", run.toString(), "-n", "3");
    assertThat(reconstructed.exitCode()).as(reconstructed.err()).isZero();
    List<String> table = Files.readAllLines(run.resolve("reconstructions.csv"));
    assertThat(table).hasSize(7);
    assertThat(table.get(1)).startsWith("original,");
    double first = Double.parseDouble(table.get(1).split(",")[1]);
    assertThat(Math.abs(first)).as("a standardised value, not one near 50").isLessThan(5);

    VaeRun traversed = VaeRun.of("traverse", "--run", run.toString());
    assertThat(traversed.exitCode()).isNotZero();
    assertThat(traversed.err()).contains("not pictures");

    Files.writeString(data, "a,b,c,d,e,class\n" + "1,2,3,4,5,0\n".repeat(20));
    VaeRun changed = VaeRun.of("encode", "--run", run.toString());
    assertThat(changed.exitCode()).isNotZero();
    assertThat(changed.err()).contains("the run standardised 4 columns, but --data " + data + " now has 5");
  }

  /** 60 colour pictures 8 × 8: a red square on blue, or a green square on black, moved about. */
  private Path colourPictures() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("pictures"));
    Random random = new Random(4);
    for (int i = 0; i < 60; i++) {
      java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8,
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      boolean red = i % 2 == 0;
      int x0 = random.nextInt(5);
      int y0 = random.nextInt(5);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          boolean inside = x >= x0 && x < x0 + 3 && y >= y0 && y < y0 + 3;
          image.setRGB(x, y, inside ? (red ? 0xFF0000 : 0x00FF00) : (red ? 0x0000FF : 0x000000));
        }
      }
      javax.imageio.ImageIO.write(image, "png", folder.resolve(String.format(Locale.ROOT, "%02d.png", i)).toFile());
    }
    return folder;
  }

  @Test
  void colourPicturesTrainAConvolutionalModelInTheirOwnShapeAndAreDrawnInColour() throws IOException {
    Path run = dir.resolve("colour");
    VaeRun trained = VaeRun.of("train", "--run", run.toString(), "--data", colourPictures().toString(),
        "--network", "conv", "--network-options", "base-channels=4,depth=1", "--likelihood", "continuous-bernoulli",
        "--epochs", "2", "--hidden", "16", "--latent", "2", "--batch-size", "20");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("54 training examples");
    java.awt.image.BufferedImage samples = javax.imageio.ImageIO.read(run.resolve("samples.png").toFile());
    boolean coloured = false;
    for (int y = 0; y < samples.getHeight() && !coloured; y++) {
      for (int x = 0; x < samples.getWidth() && !coloured; x++) {
        int rgb = samples.getRGB(x, y);
        coloured = (rgb >> 16 & 0xFF) != (rgb & 0xFF) || (rgb >> 8 & 0xFF) != (rgb & 0xFF);
      }
    }
    assertThat(coloured).as("the samples are drawn in colour").isTrue();
    assertThat(run.resolve("reconstructions.png")).exists();
    assertThat(run.resolve("traversals.png")).exists();
    try (java.util.stream.Stream<Path> saved = Files.walk(run.resolve("checkpoints"))) {
      Path state = saved.filter(p -> p.getFileName().toString().equals("state.json")).findFirst().orElseThrow();
      assertThat(Files.readString(state)).as("the model keeps the pictures' shape").contains("\"3x8x8\"");
    }
  }

  @Test
  void theDataCannotChangeOnResumeAndBadDataOptionsAreNamedBeforeAnyWork() throws IOException {
    Path data = table();
    Path run = dir.resolve("run");
    assertThat(train(run, "--data", data.toString(), "--label-column", "class").exitCode()).isZero();
    Path other = Files.copy(data, dir.resolve("other.csv"));
    VaeRun changed = train(run, "--data", other.toString(), "--label-column", "class", "--resume");
    assertThat(changed.exitCode()).isNotZero();
    assertThat(changed.err()).contains("data").contains("other.csv");

    Path never = dir.resolve("never");
    VaeRun fraction = train(never, "--data", data.toString(), "--test-fraction", "1.5");
    assertThat(fraction.err()).contains("--test-fraction must be in (0, 1), got 1.5");
    VaeRun size = train(never, "--data", data.toString(), "--image-size", "28");
    assertThat(size.err()).contains("--image-size must be HxW");
    VaeRun binarize = train(never, "--data", data.toString(), "--binarize", "threshold");
    assertThat(binarize.err()).contains("--binarize must be auto, none, static or dynamic, got 'threshold'");
    assertThat(never).doesNotExist();
    VaeRun withoutData = train(never, "--label-column", "class");
    assertThat(withoutData.err()).contains("--label-column says how to read --data, which was not given");
    Path tiny = Files.writeString(dir.resolve("tiny.csv"), "a,b\n1,2\n3,4\n5,6\n");
    VaeRun noTest = train(never, "--data", tiny.toString());
    assertThat(noTest.err()).contains("--test-fraction 0.1 holds out 0 of the 3 examples");
    VaeRun dropout = train(never, "--data", data.toString(), "--network", "conv", "--network-options",
        "image=1x1x5,dropout=-1");
    assertThat(dropout.err()).contains("network conv: dropout is a probability in [0, 1), got -1.0");
    assertThat(never).doesNotExist();
    VaeRun bernoulli = VaeRun.of("train", "--run", never.toString(), "--data", data.toString(), "--label-column",
        "class");
    assertThat(bernoulli.err()).contains("bernoulli likelihood: --data " + data + " row ").contains(", column 0 = ")
        .contains("is outside its support {0, 1}");
    assertThat(never).doesNotExist();
    VaeRun missing = train(never, "--data", dir.resolve("missing.csv").toString());
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("missing.csv");
  }
}
