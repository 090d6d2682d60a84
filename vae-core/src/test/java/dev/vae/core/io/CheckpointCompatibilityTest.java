package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint written before the JSON code moved onto Jackson (by the hand-written writer of
 * version 0.1.0, kept under test resources) loads with every value as it was written.
 */
class CheckpointCompatibilityTest {
  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(CheckpointCompatibilityTest.class.getResource("/checkpoints/" + name).toURI());
  }

  @Test
  void aCheckpointWrittenByTheEarlierWriterLoadsExactly() throws Exception {
    Checkpoint c = new CheckpointStore(fixture("written-by-0.1.0"), 3).loadLatest().orElseThrow();
    assertThat(c.step()).isEqualTo(1200);
    assertThat(c.epoch()).isEqualTo(3);
    assertThat(c.parameters().get("encoder.0.weight").toDoubles())
        .containsExactly(0.5, -1.25, 3.0, (double) 1e-7f, -0.0, 42.0);
    assertThat(c.parameters().get("encoder.0.weight").apiShape().dims()).containsExactly(2, 3);
    assertThat(c.parameters().get("likelihood.sigma").toDoubles()).containsExactly(0.125);
    assertThat(c.optimizerState().get("steps").toDoubles()).containsExactly(1200.0);
    assertThat(c.rngStates()).containsEntry("data", new RngState(7, 38400)).containsEntry("noise", new RngState(-3, 0));
    assertThat(c.config()).isEqualTo(Map.of("model.hidden", "400,300", "option.lr", "1e-3",
        "note", "quote \" slash \\ tab \t é ∑"));
    assertThat(c.extras()).isEqualTo(Map.of("optimizer.steps", "1200", "trainer.best-validation-elbo", "-Infinity"));
  }
}
