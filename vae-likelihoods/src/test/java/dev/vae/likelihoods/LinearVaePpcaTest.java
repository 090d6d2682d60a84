package dev.vae.likelihoods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.PpcaModel;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.optim.Adam;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import org.junit.jupiter.api.Test;

/**
 * A linear Gaussian VAE (no hidden layers, one learned σ) on data drawn from probabilistic PCA
 * reaches the closed-form pPCA maximum log-likelihood (Tipping and Bishop 1999), as the theory of
 * linear VAEs says it must (Lucas et al. 2019).
 */
class LinearVaePpcaTest {
  @Test
  void linearGaussianVaeReachesThePpcaMaximumLikelihood() {
    int n = 1000;
    int m = 5;
    int d = 2;
    DataSet data = SyntheticData.ppca(n, m, d, 0.3, new Rng(21)).data();
    double best = PpcaModel.maximumAverageLogLikelihood(data, d);
    Engine engine = new Engine(new ReferenceBackend());
    TrainerConfig config = TrainerConfig.defaults().toBuilder().epochs(150).batchSize(100).learningRate(0.01)
        .schedule("cosine:0.0005").seed(4).build();
    try (Vae vae = new VaeBuilder(engine).likelihood(DiagonalGaussian.learned(m, true, 1.0, 1e-4)).hidden()
        .latent(d).dtype(DType.FLOAT64).seed(8).build(); Adam adam = Adam.adam(engine, config.learningRate())) {
      new Trainer(vae, adam, config).fit(Batches.of(data).batchSize(100).seed(4).build(), null);
      Evaluation.Report report = Evaluation.run(vae, data.toArray(), n, 250, 500, 100, null, new Rng(5));
      double logLikelihood = -report.negativeLogLikelihood();
      assertThat(logLikelihood).as("importance-sampled log p(x) per example; pPCA maximum %s", best)
          .isCloseTo(best, offset(0.02));
      assertThat(-report.negativeElbo()).as("ELBO per example").isCloseTo(best, offset(0.05));
    }
  }
}
