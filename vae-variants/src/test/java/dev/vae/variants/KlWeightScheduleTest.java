package dev.vae.variants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.Options;
import dev.vae.api.variant.TrainingClock;
import org.junit.jupiter.api.Test;

/** The annealing schedules at chosen steps, and the warnings about runs too short for them. */
class KlWeightScheduleTest {
  private static KlWeightSchedule parse(String options) {
    return KlWeightSchedule.from(Options.parse(options));
  }

  @Test
  void linearWarmUpRisesFromZeroToOneAndStays() {
    KlWeightSchedule s = parse("schedule=linear,warmup-steps=200");
    assertThat(s.weight(new TrainingClock(0, 1000))).isZero();
    assertThat(s.weight(new TrainingClock(50, 1000))).isCloseTo(0.25, within(1e-15));
    assertThat(s.weight(new TrainingClock(200, 1000))).isEqualTo(1.0);
    assertThat(s.weight(new TrainingClock(900, 1000))).isEqualTo(1.0);
    assertThat(s.weight(TrainingClock.evaluation())).isEqualTo(1.0);
  }

  @Test
  void cyclicalRestartsEachCycleAndHoldsOneAfterItsRise() {
    KlWeightSchedule s = parse("schedule=cyclical,cycles=4,ratio=0.5");
    // 400 steps: cycles of 100 steps, rising over the first 50.
    assertThat(s.weight(new TrainingClock(0, 400))).isZero();
    assertThat(s.weight(new TrainingClock(25, 400))).isCloseTo(0.5, within(1e-15));
    assertThat(s.weight(new TrainingClock(75, 400))).isEqualTo(1.0);
    assertThat(s.weight(new TrainingClock(100, 400))).isZero();
    assertThat(s.weight(new TrainingClock(310, 400))).isCloseTo(0.2, within(1e-12));
  }

  @Test
  void aWarmUpLongerThanTheRunIsWarnedAboutWithTheFinalWeight() {
    assertThat(parse("schedule=linear,warmup-steps=5000").warning(1000)).hasValueSatisfying(w ->
        assertThat(w).contains("5000 steps is longer than the run's 1000 steps").contains("ends at 0.200"));
    assertThat(parse("schedule=linear,warmup-steps=500").warning(1000)).isEmpty();
    assertThat(parse("schedule=cyclical,cycles=50,ratio=0.1").warning(100)).isPresent();
    assertThat(new CapacityVae(1, 25, 5000).warnings(1000)).singleElement().asString()
        .contains("capacity ends at 5.000 nats");
  }
}
