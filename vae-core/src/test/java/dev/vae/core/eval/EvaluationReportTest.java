package dev.vae.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The evaluation names the two gaps a VAE leaves: the bound's and the aggregate posterior's. */
class EvaluationReportTest {
  private static Evaluation.Report report(int importanceSamples) {
    LatentDiagnostics latent = new LatentDiagnostics(1000, new double[] {0.5, 0.2}, 2, 4.25);
    return new Evaluation.Report(1000, 97.5, importanceSamples, 102.75, -80.5, 22.25, new double[] {12, 10.25}, latent,
        20.0, 31.0);
  }

  @Test
  void theBoundsGapIsLogLikelihoodMinusTheElbo() {
    assertThat(report(1000).posteriorGap()).isCloseTo(102.75 - 97.5, within(1e-12));
    assertThat(report(0).posteriorGap()).as("without importance samples there is no log p(x)").isNaN();
    assertThat(report(1000).summary()).contains("gap log p(x) - ELBO 5.250 nats: E KL(q(z|x) || p(z|x))");
    assertThat(report(0).summary()).doesNotContain("gap log p(x)");
  }

  @Test
  void theAggregatePosteriorsKlIsTheKlLessTheMutualInformation() {
    assertThat(report(0).aggregatePosteriorKl()).isCloseTo(22.25 - 4.25, within(1e-12));
    assertThat(report(0).summary()).contains("KL(q(z) || p(z)) 18.000 nats: KL - I(x; z)");
  }
}
