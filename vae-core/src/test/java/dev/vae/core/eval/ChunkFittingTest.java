package dev.vae.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.ConvNetworkProvider;
import dev.vae.core.posterior.InverseAutoregressiveFlow;
import dev.vae.core.train.UnitGaussianLikelihood;
import org.junit.jupiter.api.Test;

/** How many importance samples are decoded at once: as many as the measured cost of a decoded row allows. */
class ChunkFittingTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  private Vae conv() {
    return new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(256)).dataShape(1, 16, 16)
        .network(new ConvNetworkProvider(), Options.parse("base-channels=8")).hidden(16).latent(2)
        .dtype(DType.FLOAT64).build();
  }

  @Test
  void theChunkDecodedAtOnceFillsHalfTheBudgetAndNoMore() {
    Vae vae = conv();
    long budget = 16L << 20;
    int chunk = ImportanceSampling.chunkFitting(vae, 10, budget, 1000);
    assertThat(chunk).isBetween(2, 999);
    long constant = 2 * ImportanceSampling.weighingBytes(vae, 1) - ImportanceSampling.weighingBytes(vae, 2);
    long used = ImportanceSampling.weighingBytes(vae, 10 * chunk) - constant;
    long more = ImportanceSampling.weighingBytes(vae, 10 * (chunk + 1)) - constant;
    assertThat(2 * used).as("the chosen chunk, doubled, fits").isLessThanOrEqualTo(budget);
    assertThat(2 * more).as("one more sample a row would not").isGreaterThan(budget);
  }

  @Test
  void theChunkIsAtLeastOneAndAtMostWhatWasAskedFor() {
    Vae vae = conv();
    assertThat(ImportanceSampling.chunkFitting(vae, 10, 1, 100)).isEqualTo(1);
    assertThat(ImportanceSampling.chunkFitting(vae, 10, 1L << 50, 100)).isEqualTo(100);
  }

  @Test
  void aConvolutionalDecoderGetsFewerSamplesAtOnceThanAnMlpOfTheSameData() {
    Vae mlp = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(256)).hidden(16).latent(2)
        .dtype(DType.FLOAT64).build();
    long budget = 64L << 20;
    assertThat(ImportanceSampling.chunkFitting(conv(), 100, budget, 1000))
        .isLessThan(ImportanceSampling.chunkFitting(mlp, 100, budget, 1000) / 2);
  }

  @Test
  void aPosteriorsFlowsCountAsPartOfEachSample() {
    VaeBuilder rows = new VaeBuilder(engine).likelihood(new UnitGaussianLikelihood(16)).hidden(16).latent(20)
        .dtype(DType.FLOAT64);
    long budget = 64L << 20;
    int plain = ImportanceSampling.chunkFitting(rows.build(), 100, budget, 1000);
    int flowed = ImportanceSampling.chunkFitting(rows.posterior(new InverseAutoregressiveFlow.Provider(),
        Options.parse("hidden=256")).build(), 100, budget, 1000);
    assertThat(flowed).as("an IAF's hidden layers, 256 wide, in every draw").isLessThan(plain / 4);
  }
}
