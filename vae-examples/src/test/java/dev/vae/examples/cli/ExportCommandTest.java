package dev.vae.examples.cli;

import static dev.vae.examples.testkit.VaeRun.newestCheckpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.model.SamplingMode;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.HostTensor;
import dev.vae.core.io.PyTorchExport;
import dev.vae.core.io.SafeTensors;
import dev.vae.core.model.Vae;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import dev.vae.likelihoods.DiagonalGaussian;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vae export --format pytorch}: the exported tensors carry PyTorch's names and layouts, hold
 * our values transposed, and the forward passes computed from them by hand (y = x · Wᵀ + b, as
 * nn.Linear does) give what our model gives; where python3 has torch (or numpy) and safetensors,
 * Python loads the file and checks the same.
 */
class ExportCommandTest {
  private static final Path CHECK_SCRIPT = Path.of("src/test/python/pytorch_export_check.py");
  private static final int N = 5;

  @TempDir
  static Path dir;
  static Path data;
  static Path bernoulli;
  static Path learned;
  static Path calibrated;

  @BeforeAll
  static void trainRuns() throws IOException {
    data = SyntheticMnist.write(dir.resolve("data"), 96, 16);
    bernoulli = train("bernoulli", "--hidden", "16,8", "--latent", "3");
    learned = train("learned", "--hidden", "8", "--latent", "2", "--activation", "gelu", "--binarize", "none",
        "--likelihood", "gaussian", "--likelihood-options", "sigma=learned");
    calibrated = train("calibrated", "--hidden", "8", "--latent", "2", "--binarize", "none",
        "--likelihood", "gaussian", "--likelihood-options", "sigma=calibrated");
  }

  private static Path train(String name, String... options) {
    Path run = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("train", "--run", run.toString(), "--data-dir", data.toString(),
        "--epochs", "1", "--batch-size", "32", "--no-pictures"));
    args.addAll(List.of(options));
    VaeRun trained = VaeRun.of(args.toArray(String[]::new));
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    return run;
  }

  private static SafeTensors.Contents export(Path run) throws IOException {
    Path file = run.resolve("exported.safetensors");
    VaeRun exported = VaeRun.of("export", "--format", "pytorch", "--run", run.toString(), "--out", file.toString());
    assertThat(exported.exitCode()).as(exported.err()).isZero();
    assertThat(exported.out()).contains("wrote " + file).contains("fc_mu = nn.Linear(");
    return SafeTensors.read(file);
  }

  @Test
  void namesShapesAndMetadataAreThoseOfTheTorchModulesAndWeightsAreOursTransposed() throws IOException {
    SafeTensors.Contents file = export(bernoulli);
    Map<String, HostTensor> t = file.tensors();
    Map<String, int[]> shapes = new LinkedHashMap<>();
    shapes.put("enc.0.weight", new int[] {16, 784});
    shapes.put("enc.0.bias", new int[] {16});
    shapes.put("enc.2.weight", new int[] {8, 16});
    shapes.put("enc.2.bias", new int[] {8});
    shapes.put("fc_mu.weight", new int[] {3, 8});
    shapes.put("fc_mu.bias", new int[] {3});
    shapes.put("fc_logvar.weight", new int[] {3, 8});
    shapes.put("fc_logvar.bias", new int[] {3});
    shapes.put("dec.0.weight", new int[] {8, 3});
    shapes.put("dec.0.bias", new int[] {8});
    shapes.put("dec.2.weight", new int[] {16, 8});
    shapes.put("dec.2.bias", new int[] {16});
    shapes.put("dec.4.weight", new int[] {784, 16});
    shapes.put("dec.4.bias", new int[] {784});
    assertThat(t.keySet()).containsExactlyInAnyOrderElementsOf(shapes.keySet());
    shapes.forEach((name, shape) -> {
      assertThat(t.get(name).shape()).as(name).containsExactly(shape);
      assertThat(t.get(name).type()).as(name).isEqualTo(HostTensor.ElementType.F32);
    });

    Map<String, HostTensor> ours = newestCheckpoint(bernoulli).parameters();
    assertTransposed(ours.get("encoder.0.weight"), 0, t.get("enc.0.weight"));
    assertTransposed(ours.get("encoder.1.weight"), 0, t.get("enc.2.weight"));
    assertTransposed(ours.get("encoder.2.weight"), 0, t.get("fc_mu.weight"));
    assertTransposed(ours.get("encoder.2.weight"), 3, t.get("fc_logvar.weight"));
    assertTransposed(ours.get("decoder.0.weight"), 0, t.get("dec.0.weight"));
    assertTransposed(ours.get("decoder.2.weight"), 0, t.get("dec.4.weight"));
    float[] heads = ours.get("encoder.2.bias").floats();
    assertThat(t.get("fc_mu.bias").floats()).containsExactly(java.util.Arrays.copyOfRange(heads, 0, 3));
    assertThat(t.get("fc_logvar.bias").floats()).containsExactly(java.util.Arrays.copyOfRange(heads, 3, 6));
    assertThat(t.get("dec.4.bias")).isEqualTo(ours.get("decoder.2.bias"));

    Map<String, String> meta = file.metadata();
    assertThat(meta).containsEntry("format", "pytorch")
        .containsEntry("model.hidden", "16,8").containsEntry("model.likelihood", "bernoulli")
        .containsEntry("torch.enc", "nn.Sequential(nn.Linear(784, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU())")
        .containsEntry("torch.fc_mu", "nn.Linear(8, 3)").containsEntry("torch.fc_logvar", "nn.Linear(8, 3)")
        .containsEntry("torch.dec", "nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 16), nn.ReLU(), "
            + "nn.Linear(16, 784))")
        .containsEntry("source.fc_logvar.weight", "encoder.2.weight columns 3..5, transposed")
        .containsEntry("likelihood.parameters", "").containsEntry("likelihood.estimates", "")
        .containsEntry("checkpoint.step", Long.toString(newestCheckpoint(bernoulli).step()));
    assertThat(meta.get("model")).startsWith("VAE 784-16-8-3, relu, likelihood bernoulli");
  }

  /** {@code torch} [k, rows] is columns [from, from + k) of {@code ours} [rows, cols], transposed. */
  private static void assertTransposed(HostTensor ours, int from, HostTensor torch) {
    int rows = ours.shape()[0];
    int cols = ours.shape()[1];
    int k = torch.shape()[0];
    assertThat(torch.shape()).containsExactly(k, rows);
    float[] o = ours.floats();
    float[] p = torch.floats();
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < k; j++) {
        assertThat(p[j * rows + r]).isEqualTo(o[r * cols + from + j]);
      }
    }
  }

  @Test
  void decoderAndEncoderComputedByHandFromTheExportMatchOurModel() throws IOException {
    check(bernoulli, x -> Math.max(x, 0), true);
    check(learned, ExportCommandTest::geluTanh, false);
  }

  private static void check(Path run, DoubleUnaryOperator activation, boolean sigmoidMean) throws IOException {
    Map<String, HostTensor> t = export(run).tensors();
    Outputs ours = ours(run);
    int hidden = (int) t.keySet().stream().filter(n -> n.startsWith("enc.") && n.endsWith(".weight")).count();
    double[][] h = ours.x;
    for (int i = 0; i < hidden; i++) {
      h = apply(linear(h, t, "enc." + 2 * i), activation);
    }
    assertClose(linear(h, t, "fc_mu"), ours.mu, "mu");
    assertClose(linear(h, t, "fc_logvar"), ours.logvar, "logvar");
    double[][] y = ours.z;
    for (int i = 0; i <= hidden; i++) {
      y = linear(y, t, "dec." + 2 * i);
      y = i < hidden ? apply(y, activation) : y;
    }
    assertClose(y, ours.raw, "decoder output");
    assertClose(sigmoidMean ? apply(y, v -> 1 / (1 + Math.exp(-v))) : y, ours.mean, "E[x|z]");
  }

  /** x · Wᵀ + b, as nn.Linear computes it, with W [out, in] and b [out] from the export. */
  private static double[][] linear(double[][] x, Map<String, HostTensor> t, String layer) {
    double[] w = t.get(layer + ".weight").toDoubles();
    double[] b = t.get(layer + ".bias").toDoubles();
    int out = t.get(layer + ".weight").shape()[0];
    int in = t.get(layer + ".weight").shape()[1];
    double[][] y = new double[x.length][out];
    for (int n = 0; n < x.length; n++) {
      for (int o = 0; o < out; o++) {
        double s = b[o];
        for (int i = 0; i < in; i++) {
          s += x[n][i] * w[o * in + i];
        }
        y[n][o] = s;
      }
    }
    return y;
  }

  private static double[][] apply(double[][] x, DoubleUnaryOperator f) {
    double[][] y = new double[x.length][];
    for (int n = 0; n < x.length; n++) {
      y[n] = java.util.Arrays.stream(x[n]).map(f).toArray();
    }
    return y;
  }

  private static double geluTanh(double x) {
    return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }

  private static void assertClose(double[][] byHand, double[][] ours, String what) {
    for (int n = 0; n < ours.length; n++) {
      for (int j = 0; j < ours[n].length; j++) {
        assertThat(byHand[n][j]).as("%s [%d, %d]", what, n, j).isCloseTo(ours[n][j],
            within(1e-4 * Math.max(1, Math.abs(ours[n][j]))));
      }
    }
  }

  /** Fixed inputs and what our model, reloaded from the run, computes from them. */
  private record Outputs(double[][] x, double[][] z, double[][] mu, double[][] logvar, double[][] raw,
      double[][] mean) {
    /** The inputs and outputs as float32 tensors, for the Python check. */
    Map<String, HostTensor> tensors() {
      Map<String, HostTensor> m = new LinkedHashMap<>();
      m.put("x", host(x));
      m.put("z", host(z));
      m.put("mu", host(mu));
      m.put("logvar", host(logvar));
      m.put("raw", host(raw));
      m.put("mean", host(mean));
      return m;
    }

    private static HostTensor host(double[][] rows) {
      int cols = rows[0].length;
      float[] flat = new float[rows.length * cols];
      for (int n = 0; n < rows.length; n++) {
        for (int j = 0; j < cols; j++) {
          flat[n * cols + j] = (float) rows[n][j];
        }
      }
      return HostTensor.ofFloats(flat, rows.length, cols);
    }
  }

  private static Outputs ours(Path run) {
    RunOptions options = new RunOptions();
    new CommandLine(options).parseArgs("--run", run.toString(), "--data-dir", data.toString(), "--backend", "cpu");
    try (LoadedRun loaded = LoadedRun.open(options)) {
      Vae vae = loaded.vae();
      Engine engine = vae.engine();
      int m = vae.dataDimension();
      int d = vae.latentDimension();
      double[] x = new double[N * m];
      for (int i = 0; i < x.length; i++) {
        x[i] = (Math.sin(0.37 * i) + 1) / 2;
      }
      double[] z = new double[N * d];
      for (int i = 0; i < z.length; i++) {
        z[i] = 1.5 * Math.sin(1.3 * i + 0.4);
      }
      try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
        Tensor xs = engine.fromHost(x, Shape.of(N, m), vae.dtype());
        Tensor zs = engine.fromHost(z, Shape.of(N, d), vae.dtype());
        DiagonalGaussianPosterior q = vae.encode(xs).base();
        return new Outputs(rows(x, m), rows(z, d), rows(q.mean().toDoubles(), d),
            rows(q.logVariance().toDoubles(), d), rows(vae.decode(zs).raw().toDoubles(), vae.dataDimension()
                * vae.likelihood().outputsPerDimension()),
            rows(vae.generate(zs, SamplingMode.MEAN, new Rng(1)).toDoubles(), m));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double[][] rows(double[] flat, int cols) {
    double[][] r = new double[flat.length / cols][];
    for (int n = 0; n < r.length; n++) {
      r[n] = java.util.Arrays.copyOfRange(flat, n * cols, (n + 1) * cols);
    }
    return r;
  }

  @Test
  void theLikelihoodsLearnedSigmaAndCalibratedSigmaKeepTheirNamesAndValues() throws IOException {
    SafeTensors.Contents learnedFile = export(learned);
    HostTensor rho = newestCheckpoint(learned).parameters().get("gaussian.rho");
    assertThat(learnedFile.tensors()).containsEntry("gaussian.rho", rho);
    assertThat(learnedFile.metadata()).containsEntry("likelihood.parameters", "gaussian.rho")
        .containsEntry("likelihood.estimates", "").containsEntry("model.likelihood-options", "sigma=learned")
        .containsEntry("torch.dec", "nn.Sequential(nn.Linear(2, 8), nn.GELU(approximate='tanh'), nn.Linear(8, 784))");

    SafeTensors.Contents calibratedFile = export(calibrated);
    HostTensor sigma = newestCheckpoint(calibrated).parameters().get(DiagonalGaussian.CALIBRATED_SIGMA);
    assertThat(calibratedFile.tensors()).containsEntry(DiagonalGaussian.CALIBRATED_SIGMA, sigma);
    assertThat(sigma.type()).isEqualTo(HostTensor.ElementType.F64);
    assertThat(calibratedFile.metadata()).containsEntry("likelihood.parameters", "")
        .containsEntry("likelihood.estimates", DiagonalGaussian.CALIBRATED_SIGMA);
  }

  @Test
  void aCheckpointWhoseParametersNoModuleTakesOrThatLacksOneIsRefusedNamingIt() throws IOException {
    Checkpoint c = newestCheckpoint(bernoulli);
    LikelihoodRegistry likelihoods = LikelihoodRegistry.discover();
    Map<String, HostTensor> extra = new HashMap<>(c.parameters());
    extra.put("classifier.0.weight", HostTensor.ofFloats(new float[4], 2, 2));
    assertThatThrownBy(() -> PyTorchExport.of(copy(c, extra, c.config()), likelihoods))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[classifier.0.weight]")
        .hasMessageContaining("only runs of `vae train` can be exported");
    Map<String, HostTensor> missing = new HashMap<>(c.parameters());
    missing.remove("decoder.1.bias");
    assertThatThrownBy(() -> PyTorchExport.of(copy(c, missing, c.config()), likelihoods))
        .hasMessageContaining("has no parameter decoder.1.bias");
    Map<String, HostTensor> misshapen = new HashMap<>(c.parameters());
    misshapen.put("encoder.0.bias", HostTensor.ofFloats(new float[3], 3));
    assertThatThrownBy(() -> PyTorchExport.of(copy(c, misshapen, c.config()), likelihoods))
        .hasMessageContaining("parameter encoder.0.bias is [3] but the model needs [16]");
    assertThatThrownBy(() -> PyTorchExport.of(copy(c, c.parameters(), Map.of("run.command", "other")), likelihoods))
        .hasMessageContaining("describes no VAE").hasMessageContaining("model.hidden");
  }

  private static Checkpoint copy(Checkpoint c, Map<String, HostTensor> parameters, Map<String, String> config) {
    Checkpoint.Builder b = Checkpoint.builder(c.step()).epoch(c.epoch()).config(config);
    parameters.forEach(b::parameter);
    return b.build();
  }

  @Test
  void torchLoadsTheExportStrictlyAndItsModulesComputeWhatOursDo() throws Exception {
    Optional<String> missing = pythonLacks("torch, safetensors.torch");
    assumeTrue(missing.isEmpty(), () -> "the PyTorch check needs python3 with torch and safetensors: "
        + missing.orElse(""));
    runCheck("torch", bernoulli);
    runCheck("torch", learned);
    runCheck("torch", calibrated);
  }

  @Test
  void numpyComputesWhatOurModelDoesFromTheExport() throws Exception {
    Optional<String> missing = pythonLacks("numpy, safetensors.numpy");
    assumeTrue(missing.isEmpty(), () -> "the numpy check needs python3 with numpy and safetensors: "
        + missing.orElse(""));
    runCheck("numpy", bernoulli);
    runCheck("numpy", learned);
  }

  private static void runCheck(String mode, Path run) throws Exception {
    Path file = run.resolve("exported.safetensors");
    export(run);
    Path expected = run.resolve("expected.safetensors");
    SafeTensors.write(expected, ours(run).tensors(), Map.of());
    Process p = new ProcessBuilder("python3", CHECK_SCRIPT.toString(), mode, file.toString(), expected.toString())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the check finishes").isTrue();
    System.out.print(output);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).startsWith("ok");
  }

  /** Empty when python3 imports the modules, else why not (python3 missing, or its ImportError). */
  private static Optional<String> pythonLacks(String modules) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import " + modules).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of("python3 -c 'import " + modules + "' did not finish in 60 s");
      }
      if (p.exitValue() == 0) {
        return Optional.empty();
      }
      String[] lines = output.split("\n");
      return Optional.of(lines[lines.length - 1]);
    } catch (IOException e) {
      return Optional.of("python3 cannot be run (" + e.getMessage() + ")");
    }
  }
}
