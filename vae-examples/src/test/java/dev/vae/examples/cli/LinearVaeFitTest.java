package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.model.SamplingMode;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.PpcaModel;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.likelihoods.DiagonalGaussian;
import org.junit.jupiter.api.Test;

/**
 * A linear VAE read as pPCA decodes as the VAE does, and its closed-form ELBO is its exact
 * log-likelihood less the KL from q(z|x) to the exact posterior; untrained weights suffice, since
 * both hold for any weights.
 */
class LinearVaeFitTest {
  private static final int M = 5;
  private static final int D = 2;

  private static Vae linearVae(Engine engine, DiagonalGaussian gaussian) {
    return new VaeBuilder(engine).likelihood(gaussian).hidden().latent(D).dtype(DType.FLOAT64).seed(3).build();
  }

  @Test
  void theDecoderReadAsPpcaDecodesAsTheVaeDoes() {
    Engine engine = RunOptions.engineFor(null);
    DiagonalGaussian gaussian = DiagonalGaussian.learned(M, true, 0.7, 1e-4);
    try (Vae vae = linearVae(engine, gaussian)) {
      PpcaModel decoder = LinearVaeFit.asPpca(vae, gaussian);
      assertThat(decoder.sigma()).isCloseTo(0.7, offset(1e-9));
      double[] z = {0.3, -1.7};
      double[] decoded;
      try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
        decoded = vae.generate(engine.fromHost(new float[] {0.3f, -1.7f}, Shape.of(1, D)).cast(DType.FLOAT64),
            SamplingMode.MEAN, new Rng(1)).toDoubles();
      }
      double[][] w = decoder.w();
      for (int i = 0; i < M; i++) {
        double expected = decoder.mu()[i] + w[i][0] * (float) z[0] + w[i][1] * (float) z[1];
        assertThat(decoded[i]).as("dimension %d", i).isCloseTo(expected, offset(1e-9));
      }
    }
  }

  /**
   * ELBO = log p(x) − KL(q(z|x) ‖ p(z|x)), with pPCA's exact log p(x) and its exact posterior
   * p(z|x) = N(M⁻¹Wᵀ(x − μ), σ²M⁻¹), M = WᵀW + σ²I (Tipping and Bishop 1999): a route to the ELBO
   * that shares nothing with the closed form but the model.
   */
  @Test
  void theClosedFormElboIsTheLikelihoodLessTheKlToTheTruePosterior() {
    Engine engine = RunOptions.engineFor(null);
    DiagonalGaussian gaussian = DiagonalGaussian.learned(M, true, 0.7, 1e-4);
    DataSet data = PpcaModel.random(M, D, 0.5, new Rng(5)).sample(500, new Rng(6));
    try (Vae vae = linearVae(engine, gaussian)) {
      PpcaModel decoder = LinearVaeFit.asPpca(vae, gaussian);
      double[] means;
      double[] logVariances;
      try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
        DiagonalGaussianPosterior q = vae.encode(engine.fromHost(data.toArray(), Shape.of(data.size(), M))
            .cast(DType.FLOAT64)).base();
        means = q.mean().toDoubles();
        logVariances = q.logVariance().toDoubles();
      }
      double[][] w = decoder.w();
      double variance = decoder.sigma() * decoder.sigma();
      double[][] precision = new double[D][D]; // M = WᵀW + σ²I; the posterior's precision is M / σ²
      for (double[] row : w) {
        for (int j = 0; j < D; j++) {
          for (int k = 0; k < D; k++) {
            precision[j][k] += row[j] * row[k];
          }
        }
      }
      precision[0][0] += variance;
      precision[1][1] += variance;
      double det = precision[0][0] * precision[1][1] - precision[0][1] * precision[1][0];
      double[][] inverse = {{precision[1][1] / det, -precision[0][1] / det}, {-precision[1][0] / det,
          precision[0][0] / det}};
      double kl = 0;
      for (int s = 0; s < data.size(); s++) {
        double[] projected = new double[D]; // Wᵀ(x − μ)
        for (int i = 0; i < M; i++) {
          for (int k = 0; k < D; k++) {
            projected[k] += w[i][k] * (data.get(s, i) - decoder.mu()[i]);
          }
        }
        double[] gap = new double[D]; // posterior mean minus q's mean
        double logDetQ = 0;
        double trace = 0;
        for (int k = 0; k < D; k++) {
          gap[k] = inverse[k][0] * projected[0] + inverse[k][1] * projected[1] - means[s * D + k];
          logDetQ += logVariances[s * D + k];
          trace += precision[k][k] * Math.exp(logVariances[s * D + k]) / variance;
        }
        double quadratic = 0;
        for (int j = 0; j < D; j++) {
          for (int k = 0; k < D; k++) {
            quadratic += gap[j] * precision[j][k] * gap[k] / variance;
          }
        }
        double logDetPosterior = D * Math.log(variance) - Math.log(det);
        kl += 0.5 * (trace + quadratic - D + logDetPosterior - logDetQ) / data.size();
      }
      double logLikelihood = decoder.averageLogLikelihood(data);
      assertThat(kl).isGreaterThan(0.01);
      assertThat(LinearVaeFit.exactElbo(vae, decoder, data)).isCloseTo(logLikelihood - kl, offset(1e-9));
    }
  }
}
