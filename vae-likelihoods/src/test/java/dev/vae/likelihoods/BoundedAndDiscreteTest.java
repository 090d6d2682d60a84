package dev.vae.likelihoods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.Support;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.plugin.LikelihoodRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the table does not reach: Beta's ends and squeeze, integer rounding on the backend (which
 * the count supports and the 256-level categorical rely on), float32 intensity levels, modes and
 * means where they are undefined, and option errors.
 */
class BoundedAndDiscreteTest {
  private final Engine engine = new Engine(new ReferenceBackend());
  private final MemoryScope scope = engine.scope();

  @AfterEach
  void close() {
    scope.close();
  }

  private Tensor tensor(int n, int m, double... values) {
    return engine.fromHost(values, Shape.of(n, m), DType.FLOAT64);
  }

  private static Likelihood create(String name, int m, String options) {
    return LikelihoodRegistry.discover().create(name, m, Options.parse(options));
  }

  @Test
  void betaRejectsExactZeroAndOneAndNamesTheSqueeze() {
    Likelihood beta = create("beta", 2, "");
    DecoderOutput out = new DecoderOutput(engine.full(Shape.of(1, 4), DType.FLOAT64, 0.5));
    assertThatThrownBy(() -> beta.logProb(out, tensor(1, 2, 0.5, 1.0)))
        .hasMessageContaining("beta likelihood: x[0, 1] = 1.0").hasMessageContaining("both ends excluded")
        .hasMessageContaining("squeeze=eps");
    Likelihood squeezed = create("beta", 2, "squeeze=1e-3");
    double[] lp = squeezed.logProb(out, tensor(1, 2, 0.0, 1.0)).toDoubles();
    assertThat(lp[0]).isFinite();
    assertThatThrownBy(() -> create("beta", 2, "squeeze=0.5")).hasMessageContaining("squeeze must be in (0, 0.5)");
  }

  @Test
  void betaSamplesStayStrictlyInsideEvenForTinyConcentrations() {
    for (DType dtype : DType.values()) {
      Beta beta = new Beta(4, 1e-3);
      double tiny = Constraints.positiveInverse(0.02, 1e-3);
      DecoderOutput out = new DecoderOutput(engine.full(Shape.of(500, 8), DType.FLOAT64, tiny).cast(dtype));
      double[] xs = beta.sample(out, new Rng(7)).toDoubles();
      for (double x : xs) {
        assertThat(x).as("%s sample", dtype).isGreaterThan(0.0).isLessThan(1.0);
      }
    }
  }

  @Test
  void nearestIntegerRoundsHalvesToEvenInBothPrecisionsAndKeepsLargeValues() {
    double[] values = {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.7, -3.7, 0.49999999999999994, 1e15 + 0.5, 0x1.0p52 + 1,
        1e300, -0.0};
    double[] rounded = Support.nearestInteger(tensor(1, values.length, values)).toDoubles();
    for (int i = 0; i < values.length; i++) {
      assertThat(rounded[i]).as("round(%s)", values[i]).isEqualTo(Math.rint(values[i]));
    }
    float[] floats = {2.5f, 3.5f, -7.25f, 8388609f, 1e30f, 254.99998f};
    double[] roundedFloats = Support.nearestInteger(engine.fromHost(floats, Shape.of(1, floats.length))).toDoubles();
    for (int i = 0; i < floats.length; i++) {
      assertThat(roundedFloats[i]).as("float32 round(%s)", floats[i]).isEqualTo(Math.rint(floats[i]));
    }
    double[] special = Support.nearestInteger(tensor(1, 3, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY)).toDoubles();
    assertThat(special).containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    assertThat(Support.isInteger(tensor(1, 6, 3.0, 3.5, -2.0, Double.NaN, Double.POSITIVE_INFINITY, 1e300))
        .toDoubles()).containsExactly(1, 0, 1, 0, 0, 1);
  }

  @Test
  void binarySupportOnTheBackendAgreesWithItsPredicateAtTheEdges() {
    double[] edges = {0, -0.0, 1, Math.nextDown(1.0), Math.nextUp(1.0), Math.nextDown(1f), Math.nextUp(1f), 0.5, 2,
        -1, Double.MIN_VALUE, Float.MIN_VALUE, 1e20, 1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.NaN};
    for (DType dtype : DType.values()) {
      Tensor x = tensor(1, edges.length, edges).cast(dtype);
      double[] stored = x.toDoubles();
      double[] inside = Support.BINARY.tensorTest().orElseThrow().apply(x).toDoubles();
      for (int i = 0; i < edges.length; i++) {
        assertThat(inside[i]).as("%s %s", dtype, stored[i]).isEqualTo(Support.BINARY.contains(stored[i]) ? 1 : 0);
      }
    }
  }

  @Test
  void countsAreCheckedOnTheBackendWithOneNumberReadBack() {
    Support counts = Support.COUNTS;
    assertThat(counts.tensorTest()).isPresent();
    double[] inside = counts.tensorTest().orElseThrow().apply(tensor(1, 7, 0, 1, 17, 2.5, -1, Double.NaN, 1e9))
        .toDoubles();
    assertThat(inside).containsExactly(1, 1, 1, 0, 0, 0, 1);
  }

  @Test
  void categoricalReadsFloat32LevelsAsTheirLevel() {
    int levels = Categorical256.LEVELS;
    float[] x = new float[levels];
    for (int k = 0; k < levels; k++) {
      x[k] = k / 255f;
    }
    Categorical256 c = new Categorical256(levels);
    double[] raw = new double[levels * levels];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = Math.sin(i);
    }
    DecoderOutput out32 = new DecoderOutput(engine.fromHost(raw, Shape.of(1, raw.length), DType.FLOAT64)
        .cast(DType.FLOAT32));
    double lp = c.logProb(out32, engine.fromHost(x, Shape.of(1, levels))).item();
    double expected = 0;
    for (int j = 0; j < levels; j++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < levels; k++) {
        max = Math.max(max, raw[k * levels + j]);
      }
      double sum = 0;
      for (int k = 0; k < levels; k++) {
        sum += Math.exp(raw[k * levels + j] - max);
      }
      expected += raw[j * levels + j] - max - Math.log(sum);
    }
    assertThat(lp).isCloseTo(expected, offset(1e-5 * Math.abs(expected)));
    assertThatThrownBy(() -> c.logProb(out32, engine.full(Shape.of(1, levels), DType.FLOAT32, 0.5)))
        .hasMessageContaining("= 0.5 is outside its support intensity levels k/255");
  }

  @Test
  void modesAndMeansWhereTheyAreUndefinedOrAtTheBoundary() {
    StudentT cauchy = StudentT.fixed(1, 1.0, 1e-3);
    DecoderOutput location = new DecoderOutput(tensor(1, 2, 0.7, 0.0));
    assertThat(cauchy.mean(location).item()).isNaN();
    assertThat(cauchy.mode(location).orElseThrow().item()).isEqualTo(0.7);
    Beta beta = new Beta(1, 1e-3);
    double below = Constraints.positiveInverse(0.8, 1e-3);
    double above = Constraints.positiveInverse(3.0, 1e-3);
    assertThat(beta.mode(new DecoderOutput(tensor(1, 2, below, above))).orElseThrow().item()).isNaN();
    assertThat(beta.mode(new DecoderOutput(tensor(1, 2, above, above))).orElseThrow().item())
        .isCloseTo(0.5, offset(1e-12));
    Poisson poisson = new Poisson(3, 0.0);
    double[] rates = {Constraints.positiveInverse(4.2, 0), Constraints.positiveInverse(0.3, 0),
        Constraints.positiveInverse(7.999, 0)};
    assertThat(poisson.mode(new DecoderOutput(tensor(1, 3, rates))).orElseThrow().toDoubles())
        .containsExactly(4, 0, 7);
    NegativeBinomial nb = new NegativeBinomial(2, 0.0, 0.0);
    // ⌊μ (r − 1)/r⌋: μ = 10, r = 4 gives 7; r = 0.5 < 1 gives 0.
    double[] raw = {Constraints.positiveInverse(10, 0), Constraints.positiveInverse(5, 0),
        Constraints.positiveInverse(4, 0), Constraints.positiveInverse(0.5, 0)};
    assertThat(nb.mode(new DecoderOutput(tensor(1, 4, raw))).orElseThrow().toDoubles()).containsExactly(7, 0);
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> create("student-t", 2, "df=many")).hasMessageContaining("df=many")
        .hasMessageContaining("'learned'");
    assertThatThrownBy(() -> create("student-t", 2, "df=learned,initial-df=0.2,min-df=0.5"))
        .hasMessageContaining("min-df < initial-df");
    assertThatThrownBy(() -> create("gaussian-lowrank", 2, "rank=two")).hasMessageContaining("rank=two");
    assertThatThrownBy(() -> create("poisson", 2, "min-rate=-1")).hasMessageContaining("min-rate");
    assertThatThrownBy(() -> create("gaussian", 2, "sigma=wide")).hasMessageContaining("'calibrated'");
  }
}
