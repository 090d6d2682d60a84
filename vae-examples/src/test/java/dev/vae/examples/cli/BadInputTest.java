package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.io.CheckpointStore;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input of the table fails with exit code 1 or 2 and the message given there (naming the
 * option, value, file or directory at fault and what is expected), creates no run directory for a
 * new run, and leaves every file of the trained runs as it was.
 */
class BadInputTest {
  @TempDir
  static Path dir;

  private static final Map<String, String> PLACES = new TreeMap<>();
  private static int fresh;

  @BeforeAll
  static void runsAndFilesToGetWrong() throws IOException {
    Path data = SyntheticMnist.write(dir.resolve("mnist"), 160, 32);
    PLACES.put("{data}", data.toString());
    PLACES.put("{trained}", dir.resolve("trained").toString());
    PLACES.put("{semi}", dir.resolve("semi").toString());
    PLACES.put("{empty}", Files.createDirectories(dir.resolve("empty")).toString());
    PLACES.put("{file}", Files.writeString(dir.resolve("notes.txt"), "not a run").toString());
    PLACES.put("{missing}", dir.resolve("no-such-data").toString());
    Path badMagic = SyntheticMnist.write(dir.resolve("bad-magic"), 40, 10);
    byte[] images = Files.readAllBytes(badMagic.resolve("train-images-idx3-ubyte"));
    images[3] = 0x01;
    Files.write(badMagic.resolve("train-images-idx3-ubyte"), images);
    PLACES.put("{bad-magic}", badMagic.toString());
    Path truncated = SyntheticMnist.write(dir.resolve("truncated"), 40, 10);
    byte[] full = Files.readAllBytes(truncated.resolve("train-images-idx3-ubyte"));
    Files.write(truncated.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(full, full.length - 100));
    PLACES.put("{truncated}", truncated.toString());
    VaeRun trained = VaeRun.of("train", "--run", PLACES.get("{trained}"), "--data-dir", data.toString(), "--epochs",
        "1", "--hidden", "8", "--latent", "2", "--batch-size", "32", "--no-pictures");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    Path newer = dir.resolve("newer");
    copyTree(Path.of(PLACES.get("{trained}")), newer);
    try (Stream<Path> states = Files.walk(newer)) {
      for (Path state : states.filter(p -> p.endsWith(CheckpointStore.STATE_FILE)).toList()) {
        Files.writeString(state, Files.readString(state).replace("\"version\": 1,", "\"version\": 2,"));
      }
    }
    PLACES.put("{newer}", newer.toString());
    writeConfig("{type}", "epochs: ten\n");
    writeConfig("{unknown}", "command: train\nhidden: 8\nepoch: 3\n");
    writeConfig("{zero-lr}", "command: train\nhidden: 8\nlr: 0\n");
    writeConfig("{other-command}", "command: semi-supervised\n");
    writeConfig("{not-yaml}", "epochs: [1\n");
    writeConfig("{twice}", "epochs: 1\nepochs: 2\n");
    writeConfig("{command-line-only}", "epochs: 1\nno-pictures: true\n");
    VaeRun semi = VaeRun.of("semi-supervised", "--run", PLACES.get("{semi}"), "--data-dir", data.toString(),
        "--epochs", "1", "--labels-per-class", "1", "--validation", "20", "--batch-size", "30",
        "--labelled-batch-size", "5", "--options", "hidden=8,classifier-hidden=8,latent=2", "--no-pictures");
    assertThat(semi.exitCode()).as(semi.err()).isZero();
  }

  private static void writeConfig(String place, String text) throws IOException {
    Path file = dir.resolve(place.replaceAll("[{}]", "") + ".yaml");
    PLACES.put(place, Files.writeString(file, text).toString());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  /** One bad input: the command line ({places} filled in) and a part of the message it must print. */
  record Case(String args, String message) {
    @Override
    public String toString() {
      return args;
    }
  }

  static Stream<Case> cases() {
    String train = "train --data-dir {data} --run {fresh} --hidden 8 --no-pictures ";
    String resume = "train --data-dir {data} --run {trained} --resume --no-pictures ";
    String semi = "semi-supervised --data-dir {data} --run {fresh} --no-pictures ";
    return Stream.of(
        new Case(train + "--epochs 0", "--epochs must be at least 1, got 0"),
        new Case(train + "--epochs ten", "Invalid value for option '--epochs': 'ten' is not an int"),
        new Case(train + "--epoch 3", "Unknown options: '--epoch'"),
        new Case(train + "--batch-size 0", "--batch-size must be at least 1, got 0"),
        new Case(train + "--lr Infinity", "--lr must be a finite number above 0, got Infinity"),
        new Case(train + "--lr NaN", "--lr must be a finite number above 0, got NaN"),
        new Case(train + "--lr -0.1", "--lr must be a finite number above 0, got -0.1"),
        new Case(train + "--limit -5", "--limit must be at least 0 (0 trains on all examples), got -5"),
        new Case(train + "--latent 0", "--latent must be at least 1, got 0"),
        new Case(train + "--hidden 8,0", "--hidden must be at least 1 (each width), got 0"),
        new Case(train + "--samples 0", "--samples must be at least 1 (samples of z per example), got 0"),
        new Case(train + "--patience -1", "--patience must be at least 0 (0 never stops early), got -1"),
        new Case(train + "--clip-norm -1", "--clip-norm must be a finite number >= 0 (0 turns clipping off), got -1.0"),
        new Case(train + "--clip-norm NaN", "--clip-norm must be a finite number >= 0 (0 turns clipping off), got NaN"),
        new Case(train + "--validation 1", "--validation must be a fraction in [0, 1), got 1.0"),
        new Case(train + "--validation -0.5", "--validation must be a fraction in [0, 1), got -0.5"),
        new Case(train + "--schedule bogus", "unknown learning-rate schedule 'bogus'"),
        new Case(train + "--schedule cosine+cooldown:3", "unknown schedule modifier 'cooldown:3'; use +warmup:STEPS"),
        new Case(train + "--on-nan ignore", "--on-nan must be stop or skip, got 'ignore'"),
        new Case(train + "--binarize threshold", "--binarize must be auto, none, static or dynamic, got 'threshold'"),
        new Case(train + "--test-fraction 0", "--test-fraction must be in (0, 1), got 0.0"),
        new Case(train + "--image-size 28", "--image-size must be HxW with positive sides, e.g. 28x28, got '28'"),
        new Case(train + "--network convnet", "no network named 'convnet'"),
        new Case(train + "--prior vampire", "no prior named 'vampire'"),
        new Case(train + "--posterior normal", "no posterior named 'normal'; installed: diagonal-gaussian,"
            + " full-covariance, iaf, planar"),
        new Case(train + "--posterior planar --posterior-options steps=0",
            "planar flows: steps and latent dimension must be at least 1, got 0"),
        new Case(train + "--posterior iaf --posterior-options layers=2", "layers"),
        new Case(train + "--variant free-bits --posterior iaf",
            "variant free-bits needs the KL per latent dimension in closed form, which the diagonal Gaussian with 2"
                + " iaf flow steps posterior and the prior standard-normal do not have"),
        new Case(train + "--variant delta --posterior full-covariance",
            "variant delta needs the KL per latent dimension in closed form, which the full-covariance Gaussian"),
        new Case(train + "--prior vamp --prior-options pseudo-inputs=0",
            "prior vamp: pseudo-inputs must be at least 1"),
        new Case(train + "--prior mixture --prior-options component=3", "component"),
        new Case(train + "--variant delta --variant-options prior=ar1 --prior vamp",
            "variant delta brings its own prior (ar1"),
        new Case(train + "--variant free-bits --prior mixture",
            "variant free-bits needs the KL per latent dimension in closed form, which the diagonal Gaussian posterior"
                + " and the prior mixture do not have"),
        new Case(train + "--dtype float16", "--dtype must be float32 or float64, got 'float16'"),
        new Case(train + "--activation swish", "unknown activation 'swish'"),
        new Case(train + "--likelihood poisson2", "no likelihood named 'poisson2'"),
        new Case(train + "--variant betta", "no variant named 'betta'"),
        new Case(train + "--variant free-bits --variant-options lamda=1", "has no option 'lamda'"),
        new Case(train + "--likelihood gaussian --likelihood-options sigma=banana", "gaussian likelihood: sigma=banana"),
        new Case(train + "--override lr", "--override lr is for --resume only"),
        new Case(train + "--resume", "holds no checkpoint to resume; start the run without --resume"),
        new Case("train --data-dir {data} --run {file}", "--run " + "{file} is a file, not a directory"),
        new Case("train --data-dir {data} --run /proc/vae-run", "run directory /proc/vae-run cannot be written"),
        new Case("train --data-dir {missing} --run {fresh}", "{missing}: no such directory"),
        new Case("train --data-dir {data} --run {fresh} --config {type}",
            "{type} line 1: epochs: Invalid value for option '--epochs': 'ten' is not an int"),
        new Case("train --data-dir {data} --run {fresh} --config {unknown}",
            "{unknown} line 3: epoch: `vae train` has no option --epoch"),
        new Case("train --data-dir {data} --run {fresh} --config {zero-lr}",
            "{zero-lr} line 3: lr: --lr must be a finite number above 0, got 0.0"),
        new Case("train --data-dir {data} --run {fresh} --config {other-command}",
            "{other-command} line 1: command: the file is for `vae semi-supervised`, not for `vae train`"),
        new Case("train --data-dir {data} --run {fresh} --config {not-yaml}", "{not-yaml} line 1: not valid YAML"),
        new Case("train --data-dir {data} --run {fresh} --config {twice}", "{twice} line 2: epochs is given twice"),
        new Case("train --data-dir {data} --run {fresh} --config {command-line-only}",
            "{command-line-only} line 2: no-pictures: --no-pictures is given on the command line only"),
        new Case("train --data-dir {data} --run {fresh} --config {missing}.yaml", "--config {missing}.yaml: no such file"),
        new Case("train --data-dir {data} --run {newer} --resume",
            "was written in checkpoint format version 2 by a newer vae; this program reads version 1"),
        new Case("evaluate --data-dir {data} --run {newer}", "checkpoint format version 2"),
        new Case("train --data-dir {bad-magic} --run {fresh}", "train-images-idx3-ubyte"),
        new Case("train --data-dir {truncated} --run {fresh}", "train-images-idx3-ubyte"),
        new Case("train --data-dir {data} --run {trained} --no-pictures", "already holds a run of `vae train`"),
        new Case(resume + "--latent 7", "--latent was '2' when the run began but is '7' now"),
        new Case(resume + "--lr 0.1 --override rate", "--override rate: there is no option --rate"),
        new Case(resume + "--override lr", "--override lr: give the new value too, as --lr VALUE"),
        new Case("train --data-dir {data} --run {semi} --resume",
            "is a run of `vae semi-supervised`, not of `vae train`; continue it with `vae semi-supervised --resume"),
        new Case("evaluate --data-dir {data} --run {trained} -k -5", "-k must be at least 0 (0 skips the estimate), got -5"),
        new Case("evaluate --data-dir {data} --run {trained} --subset -1",
            "--subset must be at least 0 (0 evaluates all test images), got -1"),
        new Case("evaluate --data-dir {data} --run {trained} --amortisation-gap -1",
            "--amortisation-gap must be at least 0 (0 leaves it out), got -1"),
        new Case("evaluate --data-dir {data} --run {trained} --amortisation-gap 5 --gap-steps 0",
            "--gap-steps must be at least 1, got 0"),
        new Case("evaluate --data-dir {data} --run {trained} --chunk 0",
            "--chunk must be auto or a number of samples (a whole number above 0), got '0'"),
        new Case("evaluate --data-dir {data} --run {empty}", "no checkpoint in {empty}/checkpoints; train first"),
        new Case("evaluate --data-dir {data} --run {semi}", "is a run of `vae semi-supervised`, not of `vae train`"),
        new Case("evaluate --data-dir {data} --run {file}", "is a file, not a directory"),
        new Case("sample --data-dir {data} --run {trained} -n 0", "-n must be at least 1 (samples per panel), got 0"),
        new Case("sample --data-dir {data} --run {trained} -n -4", "-n must be at least 1 (samples per panel), got -4"),
        new Case("reconstruct --data-dir {data} --run {trained} -n 0", "-n must be at least 1 (images), got 0"),
        new Case("latent --data-dir {data} --run {trained} -n 0", "-n must be at least 1 (test images in the scatter)"),
        new Case("traverse --data-dir {data} --run {trained} --steps 1", "--steps must be at least 2"),
        new Case("compare --data-dir {data} --runs {trained} --examples 0", "--examples must be at least 1"),
        new Case("compare --data-dir {data} --runs {trained} --labels a,b", "--labels gives 2 captions for 1 runs"),
        new Case(semi + "--labels-per-class 0", "--labels-per-class must be at least 1, got 0"),
        new Case(semi + "--lr Infinity", "--lr must be a finite number above 0, got Infinity"),
        new Case(semi + "--validation -1", "--validation must be at least 0 (0 holds out none), got -1"),
        new Case(semi + "--labelled-batch-size 0", "--labelled-batch-size must be at least 1, got 0"),
        new Case(semi + "--model m3", "no variant named 'm3'"),
        new Case(semi + "--model m1+m2", "--model m1+m2 needs --m1-run DIR"),
        new Case(semi + "--override lr", "--override lr is for --resume only"),
        new Case("semi-supervised --data-dir {data} --run {trained} --resume",
            "is a run of `vae train`, not of `vae semi-supervised`; continue it with `vae train --resume"),
        new Case("export --run {trained}", "Missing required option: '--format=<format>'"),
        new Case("export --format onnx --run {trained}", "Invalid value for option '--format': expected one of [pytorch]"),
        new Case("export --format pytorch --run {semi}", "is a run of `vae semi-supervised`, not of `vae train`"),
        new Case("export --format pytorch --run {empty}", "no checkpoint in {empty}/checkpoints; train first"),
        new Case("export --format pytorch --run {file}", "is a file, not a directory"),
        new Case("export --format pytorch --run {newer}", "checkpoint format version 2"),
        new Case("counts --run {fresh} --cells 5", "--cells must be at least 10"),
        new Case("counts --run {fresh} --dispersion 0", "--dispersion must be a finite number above 0, got 0.0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithItsMessageAndNothingSavedChanges(Case bad) throws IOException {
    Map<String, String> before = contents();
    Path freshRun = dir.resolve("fresh-" + ++fresh);
    List<String> args = new ArrayList<>();
    for (String word : bad.args().split(" ")) {
      args.add(fill(word).replace("{fresh}", freshRun.toString()));
    }
    VaeRun run = VaeRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as("exit code").isIn(1, 2);
    assertThat(run.err()).contains(fill(bad.message()));
    assertThat(freshRun).as("a run that could not start leaves no directory").doesNotExist();
    assertThat(contents()).as("the saved runs are as they were").isEqualTo(before);
  }

  private static String fill(String text) {
    String filled = text;
    for (Map.Entry<String, String> place : PLACES.entrySet()) {
      filled = filled.replace(place.getKey(), place.getValue());
    }
    return filled;
  }

  /** Every file of the saved runs with a digest of its bytes. */
  private static Map<String, String> contents() throws IOException {
    Map<String, String> files = new TreeMap<>();
    for (String run : List.of("{trained}", "{semi}", "{newer}")) {
      try (Stream<Path> walk = Files.walk(Path.of(PLACES.get(run)))) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          files.put(p.toString(), digest(Files.readAllBytes(p)));
        }
      }
    }
    return files;
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
