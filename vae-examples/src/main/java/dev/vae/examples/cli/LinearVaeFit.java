package dev.vae.examples.cli;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.PpcaModel;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Dense;
import dev.vae.core.nn.Mlp;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.likelihoods.DiagonalGaussian;

/**
 * A linear Gaussian VAE (no hidden layers, one learned σ shared by all dimensions, in double
 * precision) trained on a data set, and what it became: its ELBO and log p(x) per example on the
 * same data, and its decoder read as the probabilistic PCA it is, x = W z + μ + σ ε.
 *
 * @param elbo the ELBO per example in closed form ({@link #exactElbo}), nats
 * @param logLikelihood log p(x) per example by importance sampling with {@value #IMPORTANCE_SAMPLES}
 *     draws, nats
 * @param decoder the decoder as a pPCA model: W its weights, μ its bias, σ the learned σ; its
 *     {@link PpcaModel#averageLogLikelihood} is the VAE's exact log p(x)
 */
record LinearVaeFit(double elbo, double logLikelihood, PpcaModel decoder) {
  /** The importance samples per example of {@link #logLikelihood}. */
  static final int IMPORTANCE_SAMPLES = 500;
  private static final double LN_2PI = Math.log(2 * Math.PI);

  /** Trains with Adam from 0.01, cosine to 0.0005, batches of 100, the weights and noise from {@code seed}. */
  static LinearVaeFit train(DataSet data, int latent, int epochs, long seed) {
    int m = data.features();
    Engine engine = RunOptions.engineFor(null);
    TrainerConfig config = TrainerConfig.defaults().toBuilder().epochs(epochs).batchSize(100).learningRate(0.01)
        .schedule("cosine:0.0005").seed(seed).build();
    DiagonalGaussian gaussian = DiagonalGaussian.learned(m, true, 1.0, 1e-4);
    try (Vae vae = new VaeBuilder(engine).likelihood(gaussian).hidden().latent(latent).dtype(DType.FLOAT64).seed(seed)
        .build(); Adam adam = Adam.adam(engine, config.learningRate())) {
      new Trainer(vae, adam, config).fit(Batches.of(data).batchSize(config.batchSize()).seed(seed).build(), null);
      Evaluation.Report report = Evaluation.run(vae, data.toArray(), data.size(), 250, IMPORTANCE_SAMPLES, 100, null,
          new Rng(seed).fork(3));
      PpcaModel decoder = asPpca(vae, gaussian);
      return new LinearVaeFit(exactElbo(vae, decoder, data), -report.negativeLogLikelihood(), decoder);
    }
  }

  /**
   * The average ELBO of a linear VAE whose decoder is {@code decoder}, in closed form: with q(z|x) =
   * N(a, diag(s²)), E_q ‖x − W z − μ‖² = ‖x − W a − μ‖² + Σ_k s_k² ‖W_k‖², so the reconstruction
   * term is −(m/2) ln 2πσ² − that / 2σ², and KL(q ‖ N(0, I)) = ½ Σ_k (a_k² + s_k² − 1 − ln s_k²).
   */
  static double exactElbo(Vae vae, PpcaModel decoder, DataSet data) {
    int n = data.size();
    int m = data.features();
    double[][] w = decoder.w();
    double[] mu = decoder.mu();
    int d = w[0].length;
    double[] columnSquares = new double[d];
    for (double[] row : w) {
      for (int k = 0; k < d; k++) {
        columnSquares[k] += row[k] * row[k];
      }
    }
    EncodedImages q = EncodedImages.of(vae, data, n);
    double variance = decoder.sigma() * decoder.sigma();
    double total = 0;
    for (int s = 0; s < n; s++) {
      double squares = 0;
      for (int i = 0; i < m; i++) {
        double r = data.get(s, i) - mu[i];
        for (int k = 0; k < d; k++) {
          r -= w[i][k] * q.means()[s][k];
        }
        squares += r * r;
      }
      double kl = 0;
      for (int k = 0; k < d; k++) {
        double a = q.means()[s][k];
        double s2 = q.variances()[s][k];
        squares += s2 * columnSquares[k];
        kl += 0.5 * (a * a + s2 - 1 - Math.log(s2));
      }
      total += -0.5 * m * (LN_2PI + Math.log(variance)) - squares / (2 * variance) - kl;
    }
    return total / n;
  }

  /** The decoder's one layer, z W + b with W [d, m], and the learned σ, as pPCA's W [m, d], μ and σ. */
  static PpcaModel asPpca(Vae vae, DiagonalGaussian gaussian) {
    if (!(vae.decoder() instanceof Mlp mlp) || mlp.layers().size() != 1) {
      throw new IllegalArgumentException("a linear VAE's decoder is one dense layer; this model's is " + vae.describe());
    }
    Dense layer = mlp.layers().get(0);
    int d = layer.inputSize();
    int m = layer.outputSize();
    double[] weight = parameter(layer, ".weight");
    double[][] w = new double[m][d];
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < d; k++) {
        w[i][k] = weight[k * m + i];
      }
    }
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      double sigma = gaussian.sigma(vae.decode(engine.fromHost(new float[d], Shape.of(1, d)).cast(vae.dtype())))
          .item();
      return new PpcaModel(w, parameter(layer, ".bias"), sigma);
    }
  }

  private static double[] parameter(Dense layer, String suffix) {
    return layer.parameters().stream().filter(p -> p.name().endsWith(suffix)).findFirst().map(Parameter::toDoubles)
        .orElseThrow();
  }
}
