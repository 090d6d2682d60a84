package dev.vae.variants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.plugin.VariantRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each objective on fixed terms of a batch of three examples, against plain arithmetic done here. */
class VariantObjectivesTest {
  private static final double[] RECONSTRUCTION = {-10.0, -12.5, -8.0};
  private static final double[][] KL_PER_DIMENSION = {{0.1, 2.0}, {0.3, 1.0}, {0.2, 0.0}};
  private static final double[][] LOG_WEIGHTS = {{-11.0, -13.0, -9.5}, {-10.0, -14.0, -8.5}};

  private final Engine engine = new Engine(new ReferenceBackend());
  private final VariantRegistry registry = VariantRegistry.discover();

  private ObjectiveTerms terms() {
    double[] kl = new double[3];
    double[] flat = new double[6];
    for (int i = 0; i < 3; i++) {
      kl[i] = KL_PER_DIMENSION[i][0] + KL_PER_DIMENSION[i][1];
      flat[2 * i] = KL_PER_DIMENSION[i][0];
      flat[2 * i + 1] = KL_PER_DIMENSION[i][1];
    }
    double[] weights = new double[6];
    for (int s = 0; s < 2; s++) {
      System.arraycopy(LOG_WEIGHTS[s], 0, weights, 3 * s, 3);
    }
    return new ObjectiveTerms(tensor(RECONSTRUCTION, 3), tensor(kl, 3), Optional.of(tensor(flat, 3, 2)),
        Optional.of(tensor(weights, 2, 3)));
  }

  private Tensor tensor(double[] values, int... dims) {
    return engine.fromHost(values, Shape.of(dims), DType.FLOAT64);
  }

  private static double meanReconstruction() {
    return (-10.0 - 12.5 - 8.0) / 3;
  }

  private static double meanKl() {
    return (2.1 + 1.3 + 0.2) / 3;
  }

  private double loss(String name, String options, TrainingClock clock) {
    Variant v = registry.create(name, Options.parse(options));
    return v.objective(terms(), clock).loss().item();
  }

  @Test
  void theElboIsTheNegatedMeanOfReconstructionMinusKl() {
    assertThat(loss("elbo", "", new TrainingClock(5, 100))).isCloseTo(-(meanReconstruction() - meanKl()), within(1e-12));
  }

  @Test
  void betaWeightsTheKlAndItsWarmUpRampsTheWeight() {
    assertThat(loss("beta", "beta=4", new TrainingClock(5, 100)))
        .isCloseTo(-meanReconstruction() + 4 * meanKl(), within(1e-12));
    assertThat(loss("beta", "beta=4,schedule=linear,warmup-steps=40", new TrainingClock(10, 100)))
        .isCloseTo(-meanReconstruction() + 4 * 0.25 * meanKl(), within(1e-12));
    Variant beta = registry.create("beta", Options.parse("beta=2,schedule=cyclical,cycles=2,ratio=0.5"));
    // 100 steps, 2 cycles of 50, rising over the first 25: step 60 is 10 steps into the second cycle.
    assertThat(beta.objective(terms(), new TrainingClock(60, 100)).reported().get("beta").item())
        .isCloseTo(2 * 10.0 / 25, within(1e-12));
  }

  @Test
  void capacityPullsTheMeanKlTowardsARisingTarget() {
    // At step 30 of 60 the target is half of 4 nats: 2; |mean KL − 2| weighted by gamma = 10.
    double expected = -meanReconstruction() + 10 * Math.abs(meanKl() - 2.0);
    assertThat(loss("capacity", "gamma=10,capacity=4,capacity-steps=60", new TrainingClock(30, 1000)))
        .isCloseTo(expected, within(1e-12));
    assertThat(loss("capacity", "gamma=10,capacity=4,capacity-steps=60", TrainingClock.evaluation()))
        .isCloseTo(-meanReconstruction() + 10 * Math.abs(meanKl() - 4.0), within(1e-12));
  }

  @Test
  void freeBitsFloorTheBatchMeanKlOfEachDimensionOrGroup() {
    double dim0 = (0.1 + 0.3 + 0.2) / 3;
    double dim1 = (2.0 + 1.0 + 0.0) / 3;
    assertThat(loss("free-bits", "lambda=0.5", new TrainingClock(0, 10)))
        .isCloseTo(-meanReconstruction() + Math.max(0.5, dim0) + Math.max(0.5, dim1), within(1e-12));
    assertThat(loss("free-bits", "lambda=1.5,group-size=2", new TrainingClock(0, 10)))
        .isCloseTo(-meanReconstruction() + Math.max(1.5, dim0 + dim1), within(1e-12));
    Variant misfit = registry.create("free-bits", Options.parse("group-size=3"));
    assertThatThrownBy(() -> misfit.objective(terms(), new TrainingClock(0, 10)))
        .hasMessageContaining("group-size 3 does not divide the KL's 2 dimensions");
    assertThat(loss("free-bits", "lambda=0.3,group-sizes=1x1", new TrainingClock(0, 10)))
        .isCloseTo(-meanReconstruction() + 0.3 + dim1, within(1e-12));
    assertThat(loss("free-bits", "lambda=1.5,group-sizes=2", new TrainingClock(0, 10)))
        .isCloseTo(-meanReconstruction() + Math.max(1.5, dim0 + dim1), within(1e-12));
    Variant uneven = registry.create("free-bits", Options.parse("group-sizes=1x2"));
    assertThatThrownBy(() -> uneven.objective(terms(), new TrainingClock(0, 10)))
        .hasMessageContaining("free-bits: group sizes [1, 2] add up to 3, but the KL has 2 dimensions");
    assertThatThrownBy(() -> registry.create("free-bits", Options.parse("group-sizes=1x2,group-size=1")))
        .hasMessageContaining("give group-size or group-sizes, not both");
  }

  @Test
  void iwaeIsTheLogMeanExpOfTheWeightsAveragedOverTheBatch() {
    double bound = 0;
    for (int i = 0; i < 3; i++) {
      bound += Math.log((Math.exp(LOG_WEIGHTS[0][i]) + Math.exp(LOG_WEIGHTS[1][i])) / 2) / 3;
    }
    Variant iwae = registry.create("iwae", Options.parse("k=2"));
    assertThat(iwae.importanceSamples()).isEqualTo(2);
    assertThat(iwae.objective(terms(), new TrainingClock(0, 10)).loss().item()).isCloseTo(-bound, within(1e-12));
  }

  @Test
  void deltaWeightsTheKlByBetaAndReportsItsFloor() {
    Variant delta = registry.create("delta", Options.parse("beta=8,delta=0.25"));
    var objective = delta.objective(terms(), new TrainingClock(0, 10));
    assertThat(objective.loss().item()).isCloseTo(-meanReconstruction() + 8 * meanKl(), within(1e-12));
    assertThat(objective.reported().get("committed_rate").item()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void typosAndBadValuesAreNamed() {
    assertThatThrownBy(() -> registry.create("beta", Options.parse("betta=2")))
        .hasMessageContaining("has no option 'betta'").hasMessageContaining("beta");
    assertThatThrownBy(() -> registry.create("beta", Options.parse("schedule=sawtooth")))
        .hasMessageContaining("schedule=sawtooth is not one of");
    assertThatThrownBy(() -> registry.create("betavae", Options.none()))
        .hasMessageContaining("no variant named 'betavae'").hasMessageContaining("beta, capacity, delta");
    assertThatThrownBy(() -> registry.create("delta", Options.parse("prior=ar1,delta=0.1")))
        .hasMessageContaining("has no option 'delta'");
    assertThatThrownBy(() -> registry.create("iwae", Options.parse("k=0"))).hasMessageContaining("k=0");
    assertThatThrownBy(() -> registry.create("delta", Options.parse("delta=0.5,min-sigma=0.9")))
        .hasMessageContaining("min-sigma 0.9000 must be below");
  }

  @Test
  void everyVariantIsFoundByNameThroughTheServiceLoader() {
    assertThat(registry.providers()).extracting(p -> p.name())
        .contains("elbo", "beta", "capacity", "free-bits", "iwae", "delta");
    assertThat(registry.providers()).allSatisfy(p -> assertThat(p.description()).isNotBlank());
  }

  @Test
  void aBetaBelowOneWarnsThatTheObjectiveIsNoLongerABound() {
    assertThat(new BetaVae(0.5, new KlWeightSchedule.Constant()).warnings(100))
        .anySatisfy(w -> assertThat(w).contains("beta = 0.5 < 1").contains("no lower bound on log p(x)"));
    assertThat(new BetaVae(1.0, new KlWeightSchedule.Constant()).warnings(100)).isEmpty();
    assertThat(new BetaVae(4.0, new KlWeightSchedule.Constant()).warnings(100)).isEmpty();
  }
}
