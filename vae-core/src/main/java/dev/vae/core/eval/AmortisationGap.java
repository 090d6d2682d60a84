package dev.vae.core.eval;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.core.posterior.Posterior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The two parts of the bound's gap (Cremer et al. 2018): for each example, the encoder's q(z|x) is
 * the start of an optimisation of that example's own posterior parameters alone (what the encoder
 * gives it: a Gaussian's mean and variance, a full covariance's factor, an amortised flow's context,
 * a ladder's message for each layer ({@link Vae#localParameters}); the decoder, the prior and a
 * flow's shared weights fixed) to the best ELBO the posterior's family
 * reaches. Then log p(x) − ELBO(q*) is the approximation gap, what the family of q cannot do, and
 * ELBO(q*) − ELBO(q_encoder) the amortisation gap, what one encoder for all examples does not do. A
 * variant's constraint on the log-variance (delta-VAE's bounds) holds for the optimised ones too.
 */
public final class AmortisationGap {
  private AmortisationGap() {}

  /**
   * How the per-example posteriors are optimised and measured: {@code steps} Adam steps at
   * {@code learningRate}, each on an ELBO of {@code samples} reparameterised draws per example; the
   * final ELBOs with {@code evaluationSamples} draws, and log p(x) by importance sampling with
   * {@code importanceSamples} draws from the optimised posterior; at most {@code rowsAtOnce} latent
   * codes decoded at once (half as many in an optimisation step, whose gradient needs as much again;
   * at least one example's {@code samples} draws). Results are reproducible for a given seed and
   * {@code rowsAtOnce}, which lays out the draws.
   */
  public record Settings(int steps, int samples, double learningRate, int evaluationSamples, int importanceSamples,
      int rowsAtOnce) {
    /** Each count at least 1 and a positive, finite learning rate. */
    public Settings {
      if (steps < 1 || samples < 1 || evaluationSamples < 1 || importanceSamples < 1 || rowsAtOnce < 1
          || !(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException("amortisation gap: steps, samples, evaluation and importance samples and"
            + " rows at once must be at least 1 and the learning rate a finite number above 0, got steps " + steps
            + ", samples " + samples + ", learning rate " + learningRate + ", evaluation samples " + evaluationSamples
            + ", importance samples " + importanceSamples + ", rows at once " + rowsAtOnce);
      }
    }

    /** Examples optimised together: each step decodes {@code samples} codes for each of them. */
    int batchSize() {
      return Math.max(1, rowsAtOnce / (2 * samples));
    }

    /** Draws per example decoded at once when measuring a batch of {@link #batchSize()} examples. */
    int chunk() {
      return Math.max(1, rowsAtOnce / batchSize());
    }
  }

  /**
   * Per-example averages in nats over the examples measured, and the optimised ELBO's mean after
   * each step (the optimisation's curve).
   */
  public record Result(int examples, double logLikelihood, double optimisedElbo, double encoderElbo,
      double[] elboByStep) {
    /** Copies the curve. */
    public Result {
      elboByStep = elboByStep.clone();
    }

    /** The optimised ELBO's mean after each step, a copy. */
    @Override
    public double[] elboByStep() {
      return elboByStep.clone();
    }

    /** log p(x) − ELBO(q*): what the posterior's family cannot match of the true posterior. */
    public double approximationGap() {
      return logLikelihood - optimisedElbo;
    }

    /** ELBO(q*) − ELBO(q_encoder): what amortising the posterior in one encoder costs. */
    public double amortisationGap() {
      return optimisedElbo - encoderElbo;
    }

    /** The numbers as lines of text. */
    public String summary() {
      return String.format(java.util.Locale.ROOT, "amortisation gap on %d test examples:%n"
          + "  log p(x) %.3f nats (importance-sampled from the optimised q)%n"
          + "  ELBO with each example's optimised q %.3f, with the encoder's q %.3f%n"
          + "  approximation gap log p(x) - ELBO(q*) %.3f nats%n"
          + "  amortisation gap ELBO(q*) - ELBO(q_encoder) %.3f nats",
          examples, logLikelihood, optimisedElbo, encoderElbo, approximationGap(), amortisationGap());
    }
  }

  /**
   * Measures the gaps on n rows of {@code data} (row-major [n, m]), examples optimised in batches as
   * {@code settings} allow (each example's ELBO depends on its own parameters only).
   */
  public static Result measure(Vae vae, float[] data, int n, Settings settings, Rng rng) {
    int m = vae.dataDimension();
    if (n < 1 || data.length < (long) n * m) {
      throw new IllegalArgumentException("amortisation gap: need at least one example of " + m + " values, got "
          + data.length + " values for " + n + " examples");
    }
    double[] curve = new double[settings.steps()];
    List<Batch> measured = new ArrayList<>();
    RowBatches.forEach(vae, data, n, settings.batchSize(),
        (start, x) -> measured.add(measureBatch(vae, x, settings, rng, curve)));
    for (int s = 0; s < curve.length; s++) {
      curve[s] /= n;
    }
    double logLikelihood = 0;
    double optimised = 0;
    double encoder = 0;
    for (Batch batch : measured) {
      logLikelihood += batch.logLikelihood();
      optimised += batch.optimised();
      encoder += batch.encoder();
    }
    return new Result(n, logLikelihood / n, optimised / n, encoder / n, curve);
  }

  /** Sums over one batch's examples. */
  private record Batch(double logLikelihood, double optimised, double encoder) {}

  private static Batch measureBatch(Vae vae, Tensor x, Settings settings, Rng rng, double[] curve) {
    Engine engine = vae.engine();
    Tensor encoded;
    Posterior amortised;
    try (Engine.NoGrad noGrad = engine.noGrad()) {
      encoded = vae.localParameters(x);
      amortised = vae.posterior(encoded);
    }
    Parameter local = Parameter.fromHost("q.local", engine, encoded.toDoubles(), encoded.shape(), vae.dtype());
    try (Adam adam = Adam.adam(engine, settings.learningRate())) {
      for (int step = 0; step < settings.steps(); step++) {
        try (MemoryScope scope = engine.scope()) {
          Tensor total = elbo(vae, x, vae.posterior(local.tensor()), settings.samples(), rng).sum();
          curve[step] += total.item();
          adam.step(List.of(local), engine.gradients(total.neg(), List.of(local.tensor())));
        }
      }
      try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
        Posterior best = vae.posterior(local.tensor());
        double optimised = elboSum(vae, x, best, settings, rng);
        double encoder = elboSum(vae, x, amortised, settings, rng);
        double logLikelihood = Arrays.stream(ImportanceSampling.logLikelihood(vae, x, best,
            settings.importanceSamples(), settings.chunk(), rng)).sum();
        return new Batch(logLikelihood, optimised, encoder);
      }
    } finally {
      local.close();
    }
  }

  /** The batch's summed ELBO from {@code evaluationSamples} draws per example, {@code chunk} at a time. */
  private static double elboSum(Vae vae, Tensor x, Posterior q, Settings settings, Rng rng) {
    Engine engine = vae.engine();
    double sum = 0;
    int drawn = 0;
    while (drawn < settings.evaluationSamples()) {
      int c = Math.min(settings.chunk(), settings.evaluationSamples() - drawn);
      try (MemoryScope scope = engine.scope()) {
        sum += elbo(vae, x, q, c, rng).sum().item() * c;
      }
      drawn += c;
    }
    return sum / settings.evaluationSamples();
  }

  /** Each example's ELBO [n]: reconstruction − KL, with {@code samples} draws of z. */
  private static Tensor elbo(Vae vae, Tensor x, Posterior q, int samples, Rng rng) {
    ObjectiveTerms terms = vae.elboTerms(x, q, rng, samples);
    return terms.reconstruction().sub(terms.kl());
  }
}
