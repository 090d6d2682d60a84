package dev.vae.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.eval.LatentDiagnostics;
import org.junit.jupiter.api.Test;

/** The collapse warning: after the patience, once per episode, never without measurements, across a resume. */
class CollapseDetectorTest {
  private static LatentDiagnostics withActiveUnits(int active) {
    return new LatentDiagnostics(100, new double[4], active, active == 0 ? 0.001 : 1.2);
  }

  @Test
  void warnsOnceWhenNoUnitHasBeenActiveForThePatience() {
    CollapseDetector detector = new CollapseDetector(3);
    assertThat(detector.observe(0, withActiveUnits(0), 0.01)).isEmpty();
    assertThat(detector.observe(1, withActiveUnits(0), 0.01)).isEmpty();
    assertThat(detector.observe(2, withActiveUnits(0), 0.01)).hasValueSatisfying(w ->
        assertThat(w).contains("posterior collapse").contains("3 epochs").contains("through epoch 3")
            .contains("--variant free-bits"));
    assertThat(detector.observe(3, withActiveUnits(0), 0.01)).isEmpty();
  }

  @Test
  void aRecoveryResetsTheCountAndAHealthyRunNeverWarns() {
    CollapseDetector detector = new CollapseDetector(2);
    assertThat(detector.observe(0, withActiveUnits(0), 0.01)).isEmpty();
    assertThat(detector.observe(1, withActiveUnits(2), 3.0)).isEmpty();
    assertThat(detector.observe(2, withActiveUnits(0), 0.01)).isEmpty();
    assertThat(detector.observe(3, withActiveUnits(0), 0.01)).isPresent();
    CollapseDetector healthy = new CollapseDetector(1);
    for (int epoch = 0; epoch < 5; epoch++) {
      assertThat(healthy.observe(epoch, withActiveUnits(3), 5.0)).isEmpty();
      assertThat(healthy.observe(epoch, LatentDiagnostics.none(4), 0.0)).isEmpty();
    }
  }

  @Test
  void aResumedDetectorGoesOnCountingWhereTheRunStopped() {
    CollapseDetector resumed = new CollapseDetector(3, 2);
    assertThat(resumed.epochsCollapsed()).isEqualTo(2);
    assertThat(resumed.observe(2, withActiveUnits(0), 0.01)).hasValueSatisfying(w -> assertThat(w).contains("through epoch 3"));
    assertThat(resumed.epochsCollapsed()).isEqualTo(3);
  }
}
