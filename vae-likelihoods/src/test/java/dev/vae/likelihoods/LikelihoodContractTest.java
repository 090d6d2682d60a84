package dev.vae.likelihoods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.ParameterSpec;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.autodiff.GradientCheck;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.likelihoods.LikelihoodCase.Setting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks every likelihood passes, driven by {@link LikelihoodTable}: log-prob against an
 * independent reference, normalisation in 1-D, float64 gradients of every parameter against finite
 * differences, samples against the moments of the reference density and against the plugin's own
 * log-prob, the mode, and the errors for data outside the support and for mismatched shapes.
 *
 * <p>Statistical checks use fixed seeds, so they pass or fail deterministically; their stated
 * failure rates are those of a correct implementation over random seeds: each moment check allows
 * 5 standard errors (two-sided, about 6e-7), and each goodness-of-fit check is a chi-square test at
 * level 1e-3 on about 40 bins of equal probability under the plugin's own density.
 */
class LikelihoodContractTest {
  private static final int M = 3;
  private static final int N = 4;
  private static final int CELLS_PER_PIECE = 128;
  private static final double GOF_LEVEL = 1e-3;
  private static final int GOF_BINS = 40;

  private final Engine engine = new Engine(new ReferenceBackend());
  private final MemoryScope scope = engine.scope();

  @AfterEach
  void close() {
    scope.close();
  }

  static Stream<LikelihoodCase> rows() {
    return LikelihoodTable.rows().stream();
  }

  static Stream<Arguments> settings() {
    return LikelihoodTable.rows().stream().flatMap(row -> row.settings().stream().map(s -> Arguments.of(row, s)));
  }

  // ---- batches of parameters and data

  /** Decoder outputs, own parameters and data for a batch of n examples over m dimensions. */
  private record Batch(double[][] raw, Map<String, double[]> own, double[][] x) {}

  private Batch batch(LikelihoodCase row, Likelihood likelihood, int n, long seed) {
    Random random = new Random(seed);
    int width = likelihood.dimension() * likelihood.outputsPerDimension();
    double[] flatRaw = row.raw().draw(random, n * width);
    double[] flatX = row.data().draw(random, n * likelihood.dimension());
    Map<String, double[]> own = new LinkedHashMap<>();
    for (ParameterSpec spec : likelihood.ownParameters()) {
      double[] values = new double[spec.shape().sizeAsInt()];
      for (int i = 0; i < values.length; i++) {
        values[i] = spec.initialValue() + 0.3 * random.nextGaussian();
      }
      own.put(spec.name(), values);
    }
    return new Batch(rows(flatRaw, n), own, rows(flatX, n));
  }

  private static double[][] rows(double[] flat, int n) {
    int width = flat.length / n;
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
    return out;
  }

  private static double[] flat(double[][] rows) {
    return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
  }

  private Tensor tensor(double[][] rows) {
    return engine.fromHost(flat(rows), Shape.of(rows.length, rows[0].length), DType.FLOAT64);
  }

  private Map<String, Tensor> ownTensors(Likelihood likelihood, Map<String, double[]> own) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (ParameterSpec spec : likelihood.ownParameters()) {
      out.put(spec.name(), engine.fromHost(own.get(spec.name()), spec.shape(), DType.FLOAT64));
    }
    return out;
  }

  private DecoderOutput output(Likelihood likelihood, Batch b) {
    return new DecoderOutput(tensor(b.raw()), ownTensors(likelihood, b.own()));
  }

  /** A batch of {@code n} copies of a 1-D setting's parameters. */
  private DecoderOutput repeated(Likelihood likelihood, Setting setting, int n) {
    double[] raw = new double[n * setting.raw().length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(setting.raw(), 0, raw, i * setting.raw().length, setting.raw().length);
    }
    return new DecoderOutput(engine.fromHost(raw, Shape.of(n, setting.raw().length), DType.FLOAT64),
        ownTensors(likelihood, setting.own()));
  }

  /** The plugin's log-density of a 1-D setting at each of {@code xs}. */
  private double[] ownLogDensity(Likelihood likelihood, Setting setting, double[] xs) {
    Tensor x = engine.fromHost(xs, Shape.of(xs.length, 1), DType.FLOAT64);
    return likelihood.logProb(repeated(likelihood, setting, xs.length), x).toDoubles();
  }

  /** The reference log-density of a 1-D setting at each of {@code xs}. */
  private static double[] referenceLogDensity(LikelihoodCase row, Setting setting, double[] xs) {
    double[][] raw = new double[xs.length][];
    double[][] x = new double[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      raw[i] = setting.raw();
      x[i] = new double[] {xs[i]};
    }
    return row.reference().logDensity(raw, setting.own(), x, 1);
  }

  /** Quadrature nodes and weights (continuous) or support points with weight 1 (discrete). */
  private record Nodes(double[] x, double[] w, int[] cell, double[] edges, boolean discrete) {}

  private static Nodes nodes(Likelihood likelihood, Domain domain) {
    if (domain instanceof Domain.Discrete d) {
      double[] w = new double[d.points().length];
      Arrays.fill(w, 1.0);
      int[] cell = new int[w.length];
      for (int i = 0; i < cell.length; i++) {
        cell[i] = i;
      }
      return new Nodes(d.points(), w, cell, d.points(), true);
    }
    Domain.Cells c = Domain.cells((Domain.Continuous) domain, CELLS_PER_PIECE, likelihood.support()::contains);
    return new Nodes(c.x(), c.w(), c.cell(), c.edges(), false);
  }

  // ---- log-prob, gradients, errors

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void logProbMatchesTheIndependentReference(LikelihoodCase row) {
    Likelihood likelihood = row.create(M);
    for (long seed = 1; seed <= 3; seed++) {
      Batch b = batch(row, likelihood, N, seed);
      double[] actual = likelihood.logProb(output(likelihood, b), tensor(b.x())).toDoubles();
      double[] expected = row.reference().logDensity(b.raw(), b.own(), b.x(), M);
      assertThat(actual).as("%s, log p per example", row).hasSize(N);
      for (int i = 0; i < N; i++) {
        assertThat(actual[i]).as("%s: example %d (seed %d)", row, i, seed)
            .isCloseTo(expected[i], offset(1e-10 * (1 + Math.abs(expected[i]))));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void gradientsOfEveryParameterMatchFiniteDifferences(LikelihoodCase row) {
    Likelihood likelihood = row.create(M);
    Batch b = batch(row, likelihood, 2, 11);
    List<Shape> shapes = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    shapes.add(Shape.of(2, b.raw()[0].length));
    values.add(flat(b.raw()));
    List<ParameterSpec> specs = likelihood.ownParameters();
    for (ParameterSpec spec : specs) {
      shapes.add(spec.shape());
      values.add(b.own().get(spec.name()));
    }
    Tensor x = tensor(b.x());
    new GradientCheck(engine, 7).check(row.label(), in -> {
      Map<String, Tensor> own = new LinkedHashMap<>();
      for (int k = 0; k < specs.size(); k++) {
        own.put(specs.get(k).name(), in.get(k + 1));
      }
      return likelihood.logProb(new DecoderOutput(in.get(0), own), x);
    }, shapes, values);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void dataOutsideTheSupportIsRejectedNamingLikelihoodIndexValueAndSupport(LikelihoodCase row) {
    Likelihood likelihood = row.create(M);
    Batch b = batch(row, likelihood, 2, 5);
    DecoderOutput out = output(likelihood, b);
    assertThat(row.outside()).as("the row lists values outside the support").isNotEmpty();
    assertThat(likelihood.support().description()).contains(row.supportText());
    for (double bad : row.outside()) {
      double[][] x = {b.x()[0].clone(), b.x()[1].clone()};
      x[1][M - 1] = bad;
      assertThatThrownBy(() -> likelihood.logProb(out, tensor(x)))
          .as("%s with x = %s", row, bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(row.name() + " likelihood")
          .hasMessageContaining("x[1, " + (M - 1) + "] = " + bad)
          .hasMessageContaining(likelihood.support().description());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void withValidationOffAnExampleOutsideTheSupportHasLogDensityMinusInfinity(LikelihoodCase row) {
    Likelihood likelihood = row.create(M);
    likelihood.setValidation(false);
    Batch b = batch(row, likelihood, 2, 6);
    DecoderOutput out = output(likelihood, b);
    for (double bad : row.outside()) {
      double[][] x = {b.x()[0].clone(), b.x()[1].clone()};
      x[1][0] = bad;
      double[] lp = likelihood.logProb(out, tensor(x)).toDoubles();
      assertThat(lp[0]).as("%s: the valid example, beside x = %s", row, bad).isFinite();
      assertThat(lp[1]).as("%s: the example holding x = %s", row, bad).isEqualTo(Double.NEGATIVE_INFINITY);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void mismatchedShapesAreRejected(LikelihoodCase row) {
    Likelihood likelihood = row.create(M);
    Batch b = batch(row, likelihood, N, 8);
    DecoderOutput out = output(likelihood, b);
    Tensor wide = engine.full(Shape.of(N, M + 1), DType.FLOAT64, b.x()[0][0]);
    assertThatThrownBy(() -> likelihood.logProb(out, wide)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(row.name()).hasMessageContaining("[4, 4]").hasMessageContaining("[4, 3]");
    int width = M * likelihood.outputsPerDimension();
    DecoderOutput narrow = new DecoderOutput(tensor(b.raw()).slice(1, 0, width - 1), out.ownParameters());
    assertThatThrownBy(() -> likelihood.logProb(narrow, tensor(b.x()))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(row.name()).hasMessageContaining("[4, " + width + "]")
        .hasMessageContaining(likelihood.outputsPerDimension() + " outputs per data dimension");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void isFoundByItsStableNameAndATypoListsTheNames(LikelihoodCase row) {
    LikelihoodRegistry registry = LikelihoodRegistry.discover();
    Likelihood likelihood = registry.create(row.name(), M, Options.parse(row.options()));
    assertThat(likelihood.name()).isEqualTo(row.name());
    assertThat(likelihood.dimension()).isEqualTo(M);
    Optional<LikelihoodProvider> provider = registry.providers().stream()
        .filter(p -> p.name().equals(row.name())).findFirst();
    assertThat(provider).isPresent();
    assertThat(provider.get().description()).isNotBlank();
    String typo = row.name().substring(0, row.name().length() - 1);
    assertThatThrownBy(() -> registry.create(typo, M, Options.none()))
        .hasMessageContaining("no likelihood named '" + typo + "'").hasMessageContaining(row.name());
    assertThatThrownBy(() -> registry.create(row.name(), M, Options.parse("no-such-option=1")))
        .hasMessageContaining("no option 'no-such-option'");
  }

  @Test
  void theTableHasARowForEveryRegisteredLikelihood() {
    List<String> covered = rows().map(LikelihoodCase::name).distinct().toList();
    List<String> registered = LikelihoodRegistry.discover().providers().stream().map(LikelihoodProvider::name)
        .collect(Collectors.toList());
    assertThat(covered).containsExactlyInAnyOrderElementsOf(registered);
    assertThat(registered).contains("gaussian", "gaussian-full", "gaussian-lowrank", "bernoulli",
        "continuous-bernoulli", "beta", "laplace", "student-t", "categorical256", "poisson", "negative-binomial");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void samplesLieInTheSupportAndAreReparameterisedOnlyWhereStated(LikelihoodCase row) {
    Likelihood likelihood = row.create(M);
    Batch b = batch(row, likelihood, N, 9);
    DecoderOutput out = output(likelihood, b);
    likelihood.logProb(out, tensor(b.x()));
    Tensor drawn = likelihood.sample(out, new Rng(3));
    assertThat(drawn.shape()).isEqualTo(Shape.of(N, M));
    for (double lp : likelihood.logProb(out, drawn).toDoubles()) {
      assertThat(lp).as("%s: log p of its own sample", row).isFinite();
    }
    Shape rawShape = Shape.of(N, b.raw()[0].length);
    if (row.reparameterised()) {
      Map<String, Tensor> own = out.ownParameters();
      new GradientCheck(engine, 13).check(row.label() + " sample",
          in -> likelihood.sample(new DecoderOutput(in.get(0), own), new Rng(21)), List.of(rawShape),
          List.of(flat(b.raw())));
    } else {
      Tensor raw = engine.variable(engine.backend().fromHost(flat(b.raw()), rawShape, DType.FLOAT64));
      assertThat(likelihood.sample(new DecoderOutput(raw, out.ownParameters()), new Rng(3)).requiresGrad())
          .as("%s: a sample that is not reparameterised carries no gradient", row).isFalse();
    }
  }

  // ---- 1-D checks

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("settings")
  void densityIntegratesToOne(LikelihoodCase row, Setting setting) {
    Likelihood likelihood = row.create(1);
    Nodes nodes = nodes(likelihood, setting.domain());
    double[] lp = ownLogDensity(likelihood, setting, nodes.x());
    double total = 0;
    for (int i = 0; i < lp.length; i++) {
      total += nodes.w()[i] * Math.exp(lp[i]);
    }
    assertThat(total).as("%s, %s: total probability", row, setting).isCloseTo(1.0, offset(1e-9));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("settings")
  void samplesMatchTheReferenceMomentsAndTheMeanIsExact(LikelihoodCase row, Setting setting) {
    Likelihood likelihood = row.create(1);
    Nodes nodes = nodes(likelihood, setting.domain());
    double[] ref = referenceLogDensity(row, setting, nodes.x());
    double mass = 0;
    double mean = 0;
    for (int i = 0; i < ref.length; i++) {
      double p = nodes.w()[i] * Math.exp(ref[i]);
      mass += p;
      mean += p * nodes.x()[i];
    }
    assertThat(mass).as("reference mass on the domain (the domain must hold all of it)").isCloseTo(1, offset(1e-8));
    double variance = 0;
    double fourth = 0;
    for (int i = 0; i < ref.length; i++) {
      double p = nodes.w()[i] * Math.exp(ref[i]);
      double d = nodes.x()[i] - mean;
      variance += p * d * d;
      fourth += p * d * d * d * d;
    }
    int n = row.sampleSize();
    DecoderOutput out = repeated(likelihood, setting, n);
    assertThat(likelihood.mean(out).toDoubles()[0]).as("%s, %s: mean()", row, setting)
        .isCloseTo(mean, offset(1e-8 * (1 + Math.abs(mean))));
    double[] xs = likelihood.sample(out, new Rng(17)).toDoubles();
    double sampleMean = Arrays.stream(xs).average().orElseThrow();
    double centre = mean;
    double sampleVariance = Arrays.stream(xs).map(v -> (v - centre) * (v - centre)).average().orElseThrow();
    assertThat(sampleMean).as("%s, %s: sample mean of %d draws", row, setting, n)
        .isCloseTo(mean, offset(5 * Math.sqrt(variance / n)));
    assertThat(sampleVariance).as("%s, %s: sample variance of %d draws", row, setting, n)
        .isCloseTo(variance, offset(5 * Math.sqrt((fourth - variance * variance) / n)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("settings")
  void samplesFitTheirOwnLogProb(LikelihoodCase row, Setting setting) {
    Likelihood likelihood = row.create(1);
    Nodes nodes = nodes(likelihood, setting.domain());
    double[] lp = ownLogDensity(likelihood, setting, nodes.x());
    int cells = nodes.discrete() ? nodes.x().length : nodes.edges().length - 1;
    double[] cellProbability = new double[cells];
    for (int i = 0; i < lp.length; i++) {
      cellProbability[nodes.cell()[i]] += nodes.w()[i] * Math.exp(lp[i]);
    }
    double total = Arrays.stream(cellProbability).sum();
    // Bins of consecutive cells, each holding at least 1/GOF_BINS of the mass.
    int[] binOfCell = new int[cells];
    List<Double> binProbability = new ArrayList<>();
    double acc = 0;
    for (int c = 0; c < cells; c++) {
      binOfCell[c] = binProbability.size();
      acc += cellProbability[c] / total;
      if (acc >= 1.0 / GOF_BINS) {
        binProbability.add(acc);
        acc = 0;
      }
    }
    if (acc > 0 || binProbability.isEmpty()) {
      if (binProbability.isEmpty()) {
        binProbability.add(acc);
      } else {
        int last = binProbability.size() - 1;
        binProbability.set(last, binProbability.get(last) + acc);
        for (int c = 0; c < cells; c++) {
          binOfCell[c] = Math.min(binOfCell[c], last);
        }
      }
    }
    int bins = binProbability.size();
    assumeTrue(bins >= 2, "a single bin leaves nothing to test");
    int n = row.sampleSize();
    double[] xs = likelihood.sample(repeated(likelihood, setting, n), new Rng(29)).toDoubles();
    long[] observed = new long[bins];
    for (double x : xs) {
      observed[binOfCell[cellOf(nodes, x)]]++;
    }
    double statistic = 0;
    for (int k = 0; k < bins; k++) {
      double expected = n * binProbability.get(k);
      statistic += (observed[k] - expected) * (observed[k] - expected) / expected;
    }
    double critical = new ChiSquaredDistribution(null, bins - 1).inverseCumulativeProbability(1 - GOF_LEVEL);
    assertThat(statistic).as("%s, %s: chi-square over %d bins (critical value %s at level %s)", row, setting,
        bins, critical, GOF_LEVEL).isLessThan(critical);
  }

  /** The cell a value falls in: the nearest support point, or the quadrature cell holding it. */
  private static int cellOf(Nodes nodes, double x) {
    double[] edges = nodes.edges();
    if (nodes.discrete()) {
      int i = Arrays.binarySearch(edges, x);
      if (i >= 0) {
        return i;
      }
      int above = -i - 1;
      if (above == 0) {
        return 0;
      }
      if (above == edges.length) {
        return edges.length - 1;
      }
      return x - edges[above - 1] <= edges[above] - x ? above - 1 : above;
    }
    int lo = 0;
    int hi = edges.length - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (x < edges[mid]) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return lo;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("settings")
  void theModeIsTheMostLikelyValue(LikelihoodCase row, Setting setting) {
    Likelihood likelihood = row.create(1);
    Optional<Tensor> mode = likelihood.mode(repeated(likelihood, setting, 1));
    assumeTrue(mode.isPresent(), row + " offers no mode");
    double at = mode.get().toDoubles()[0];
    assumeTrue(!Double.isNaN(at), "the mode is undefined (NaN) for " + setting);
    Nodes nodes = nodes(likelihood, setting.domain());
    double best = referenceLogDensity(row, setting, new double[] {at})[0];
    double[] ref = referenceLogDensity(row, setting, nodes.x());
    for (int i = 0; i < ref.length; i++) {
      assertThat(ref[i]).as("%s, %s: log p at %s against the mode %s", row, setting, nodes.x()[i], at)
          .isLessThanOrEqualTo(best + 1e-9 * (1 + Math.abs(best)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void aModeOnOfferIsDefinedForSomeSetting(LikelihoodCase row) {
    assumeTrue(!row.settings().isEmpty(), row + " has no 1-D settings");
    Likelihood likelihood = row.create(1);
    boolean offered = false;
    boolean defined = false;
    for (Setting s : row.settings()) {
      Optional<Tensor> mode = likelihood.mode(repeated(likelihood, s, 1));
      offered |= mode.isPresent();
      defined |= mode.isPresent() && Double.isFinite(mode.get().toDoubles()[0]);
    }
    assumeTrue(offered, row + " offers no mode");
    assertThat(defined).as("%s: the mode is finite for at least one setting", row).isTrue();
  }
}
