package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.api.backend.Philox;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.api.testkit.Tolerance;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernels' per-element arithmetic (unary and binary ops, select, reduction steps, softplus,
 * the Philox stream), compiled by nvcc for the host from the same headers the PTX is built from,
 * against the reference backend and {@link Philox}. This checks the CUDA code's logic (special
 * values, branches, series, counters and lanes) without a GPU; the host's libm stands in for the
 * device's, so last-bit agreement of exp, log, pow and friends on a GPU is for the contract suite.
 * Skipped, saying so, where nvcc is not installed.
 */
class HostCompiledKernelMathTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double[] SPECIALS = {Double.NaN, -INF, -1e10, -40, -2.5, -2, -1, -0.5, -1e-7, -0.0, 0, 1e-7,
      0.5, 1, 1.4616321449683622, 2, 2.5, 3, 12, 40, 1e10, INF};

  @TempDir
  static Path work;
  private static Path program;
  private final ReferenceBackend reference = new ReferenceBackend();
  private final Random random = new Random(1234);

  @BeforeAll
  static void compileTheKernelMathForTheHost() throws Exception {
    Optional<Path> nvcc = PtxUpToDateTest.tool("nvcc", System.getenv("NVCC"));
    Assumptions.assumeTrue(nvcc.isPresent(), "nvcc not found (set NVCC or install the CUDA toolkit); the kernels' "
        + "arithmetic is not compiled for the host in this run");
    program = work.resolve("host_check");
    Path source = ModuleFiles.moduleDirectory().resolve("src/test/cuda/host_check.cu");
    Process process = new ProcessBuilder(nvcc.get().toString(), "-O2", "-std=c++17", "-o", program.toString(),
        source.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("nvcc output:%n%s", output).isZero();
  }

  /** Sends the requests, one per line, and returns the answers' bit patterns. */
  private static List<Long> ask(List<String> requests) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(program.toString()).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(String.join("\n", requests).concat("\n").getBytes(StandardCharsets.US_ASCII));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("host_check: %s", errors).isZero();
    List<Long> answers = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank()) {
        answers.add(Long.parseUnsignedLong(line.trim(), 16));
      }
    }
    assertThat(answers).hasSize(requests.size());
    return answers;
  }

  private static String bits(DType dtype, double value) {
    return dtype == DType.FLOAT32 ? String.format("%08x", Float.floatToRawIntBits((float) value))
        : String.format("%016x", Double.doubleToRawLongBits(value));
  }

  private static double value(DType dtype, long bits) {
    return dtype == DType.FLOAT32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
  }

  private static String suffix(DType dtype) {
    return dtype == DType.FLOAT32 ? "32" : "64";
  }

  private double[] inputs(DType dtype, double lo, double hi, boolean logScale) {
    double[] values = Arrays.copyOf(SPECIALS, SPECIALS.length + 40);
    for (int i = SPECIALS.length; i < values.length; i++) {
      double u = random.nextDouble();
      values[i] = logScale ? lo * Math.pow(hi / lo, u) : lo + (hi - lo) * u;
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = dtype == DType.FLOAT32 ? (float) values[i] : values[i];
    }
    return values;
  }

  private void compare(String what, DType dtype, double[] actual, double[] expected, Tolerance tolerance,
      double[] inputs) {
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < actual.length; i++) {
      if (!tolerance.accepts(actual[i], expected[i], 0) && mismatches.size() < 8) {
        mismatches.add("at " + inputs[i] + " got " + actual[i] + ", expected " + expected[i]);
      }
    }
    assertThat(mismatches).as("%s %s beyond %s", what, dtype, tolerance).isEmpty();
  }

  @Test
  void unaryOpsMatchTheReference() throws Exception {
    for (DType dtype : DType.values()) {
      for (Op op : Op.values()) {
        if (op.kind() != Op.Kind.UNARY) {
          continue;
        }
        boolean gamma = op == Op.LGAMMA || op == Op.DIGAMMA || op == Op.TRIGAMMA;
        double[] x = gamma ? inputs(dtype, 0.02, 40, true) : inputs(dtype, -20, 20, false);
        if (gamma) {
          x = Arrays.copyOf(x, x.length + 20);
          for (int i = x.length - 20; i < x.length; i++) {
            double v = -(random.nextInt(30) + random.nextDouble());
            x[i] = dtype == DType.FLOAT32 ? (float) v : v;
          }
        }
        List<String> requests = new ArrayList<>();
        for (double v : x) {
          requests.add("unary" + suffix(dtype) + " " + KernelAbi.unaryCode(op) + " " + bits(dtype, v));
        }
        List<Long> answers = ask(requests);
        double[] actual = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          actual[i] = value(dtype, answers.get(i));
        }
        NdArray in = reference.fromHost(x, Shape.of(x.length), dtype);
        double[] expected = reference.toDoubles(reference.unary(op, in));
        Tolerance tolerance = gamma ? Tolerance.special(dtype) : Tolerance.elementwise(dtype);
        compare(op.toString(), dtype, actual, expected, tolerance, x);
      }
    }
  }

  @Test
  void binaryOpsMatchTheReferenceOnEveryPairOfSpecialValues() throws Exception {
    double[] values = {Double.NaN, -INF, -3, -2, -1, -0.5, -0.0, 0, 0.5, 1, 2, 3, 1e30, INF};
    for (DType dtype : DType.values()) {
      for (Op op : Op.values()) {
        if (op.kind() != Op.Kind.BINARY && op.kind() != Op.Kind.COMPARE) {
          continue;
        }
        int n = values.length;
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            a[i * n + j] = values[i];
            b[i * n + j] = values[j];
            requests.add("binary" + suffix(dtype) + " " + KernelAbi.binaryCode(op) + " " + bits(dtype, values[i]) + " "
                + bits(dtype, values[j]));
          }
        }
        List<Long> answers = ask(requests);
        double[] actual = answers.stream().mapToDouble(bits -> value(dtype, bits)).toArray();
        double[] expected = reference.toDoubles(reference.binary(op,
            reference.fromHost(a, Shape.of(n * n), dtype), reference.fromHost(b, Shape.of(n * n), dtype)));
        compare(op.toString(), dtype, actual, expected, Tolerance.elementwise(dtype), a);
      }
    }
  }

  @Test
  void selectReductionStepsAndSoftplusFollowTheConventions() throws Exception {
    double nan = Double.NaN;
    for (DType dtype : DType.values()) {
      String s = suffix(dtype);
      List<String> requests = new ArrayList<>();
      double[] conditions = {0, -0.0, nan, 1, -2};
      for (double c : conditions) {
        requests.add("select" + s + " " + bits(dtype, c) + " " + bits(dtype, 7) + " " + bits(dtype, 9));
      }
      double[][] maxPairs = {{-INF, 3}, {3, nan}, {nan, 3}, {-INF, -INF}, {2, 5}, {5, 2}};
      for (double[] pair : maxPairs) {
        requests.add("reduce" + s + " " + KernelAbi.REDUCE_MAX + " " + bits(dtype, pair[0]) + " " + bits(dtype, pair[1]));
      }
      double[] soft = {nan, -INF, INF, -1000, -30, -1, 0, 1, 30, 1000};
      for (double v : soft) {
        requests.add("softplus" + s + " " + bits(dtype, v));
      }
      List<Long> answers = ask(requests);
      int k = 0;
      for (double c : conditions) {
        double expected = c != 0 || Double.isNaN(c) ? 7 : 9;
        assertThat(value(dtype, answers.get(k++))).as("select(%s) %s", c, dtype).isEqualTo(expected);
      }
      for (double[] pair : maxPairs) {
        double expected = Double.isNaN(pair[0]) || Double.isNaN(pair[1]) ? nan : Math.max(pair[0], pair[1]);
        double actual = value(dtype, answers.get(k++));
        assertThat(Tolerance.exact().accepts(actual, expected, 0))
            .as("max step %s %s: got %s, expected %s", Arrays.toString(pair), dtype, actual, expected).isTrue();
      }
      double[] actual = new double[soft.length];
      for (int i = 0; i < soft.length; i++) {
        actual[i] = value(dtype, answers.get(k++));
      }
      DoubleUnaryOperator softplus = x -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
      double[] expected = Arrays.stream(soft).map(softplus)
          .map(v -> dtype == DType.FLOAT32 ? (float) v : v).toArray();
      compare("softplus", dtype, actual, expected, Tolerance.elementwise(dtype), soft);
    }
  }

  @Test
  void thePhiloxStreamIsJavasBitForBit() throws Exception {
    long[] seeds = {0, 1, -1, 0x0123456789ABCDEFL, Long.MIN_VALUE};
    long[] starts = {0, 1, 3, 17, (1L << 34) + 3, (1L << 40) + 2, -8};
    List<String> requests = new ArrayList<>();
    List<long[]> keys = new ArrayList<>();
    for (long seed : seeds) {
      for (long start : starts) {
        for (long i = start; i < start + 8; i++) {
          for (String kind : List.of("uniform32", "uniform64", "normal32", "normal64")) {
            requests.add(kind + " " + String.format("%016x %016x", seed, i));
          }
          keys.add(new long[] {seed, i});
        }
      }
    }
    List<Long> answers = ask(requests);
    int k = 0;
    for (long[] key : keys) {
      long seed = key[0];
      long i = key[1];
      float[] uniform = new float[1];
      Philox.uniformFloats(seed, i, uniform);
      assertThat(Float.intBitsToFloat(answers.get(k++).intValue())).as("uniform32 seed %d index %d", seed, i)
          .isEqualTo(uniform[0]);
      assertThat(Double.longBitsToDouble(answers.get(k++))).as("uniform64 seed %d index %d", seed, i)
          .isEqualTo(Philox.uniformDouble(seed, i));
      double normal = Philox.normal(seed, i);
      assertThat(Tolerance.normalStream(DType.FLOAT32).accepts(Float.intBitsToFloat(answers.get(k++).intValue()),
          (float) normal, 0)).as("normal32 seed %d index %d", seed, i).isTrue();
      double normal64 = Double.longBitsToDouble(answers.get(k++));
      assertThat(Tolerance.normalStream(DType.FLOAT64).accepts(normal64, normal, 0))
          .as("normal64 seed %d index %d: %s vs %s", seed, i, normal64, normal).isTrue();
    }
  }
}
