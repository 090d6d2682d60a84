package dev.vae.core.train;

import dev.vae.api.Rng;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.eval.LatentDiagnostics;
import dev.vae.core.model.Vae;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What is measured of a plain VAE after each epoch: the latent diagnostics on the first
 * {@link TrainerConfig#diagnosticExamples} examples of the validation set (of the training set when
 * there is none), and the validation set's ELBO and its terms ({@code validation_elbo},
 * {@code validation_reconstruction}, {@code validation_kl}; NaN without one), which early stopping watches.
 */
public final class VaeEvaluation implements EpochEvaluation {
  /** The validation ELBO, the measure early stopping watches. */
  public static final String VALIDATION_ELBO = "validation_elbo";

  private final Vae vae;
  private final Batches train;
  private final Batches validation;
  private final TrainerConfig config;

  /** Measures {@code vae} on {@code validation} (may be null) and, for diagnostics without it, {@code train}. */
  public VaeEvaluation(Vae vae, Batches train, Batches validation, TrainerConfig config) {
    this.vae = vae;
    this.train = train;
    this.validation = validation;
    this.config = config;
  }

  @Override
  public Optional<String> selection() {
    return validation == null ? Optional.empty() : Optional.of(VALIDATION_ELBO);
  }

  @Override
  public Measures measure(int epoch) {
    LatentDiagnostics diagnostics = diagnose(validation != null ? validation : train, epoch);
    double[] terms = validation == null ? new double[] {Double.NaN, Double.NaN, Double.NaN} : validate(epoch);
    Map<String, Double> values = new LinkedHashMap<>();
    values.put(VALIDATION_ELBO, terms[0]);
    values.put("validation_reconstruction", terms[1]);
    values.put("validation_kl", terms[2]);
    return new Measures(values, diagnostics);
  }

  /**
   * Latent diagnostics on the first batches of this epoch's order of {@code data} (binarised as
   * training sees it), about {@link TrainerConfig#diagnosticExamples} examples; none if turned off.
   */
  private LatentDiagnostics diagnose(Batches data, int epoch) {
    int wanted = Math.min(config.diagnosticExamples(), data.data().size());
    if (wanted == 0) {
      return LatentDiagnostics.none(vae.latentDimension());
    }
    int m = vae.dataDimension();
    float[] buffer = new float[data.batchSize() * m];
    float[] rows = new float[(wanted + data.batchSize()) * m];
    int n = 0;
    for (int b = 0; b < data.batchesPerEpoch() && n < wanted; b++) {
      int filled = data.fill(epoch, b, buffer, null);
      System.arraycopy(buffer, 0, rows, n * m, filled * m);
      n += filled;
    }
    n = Math.min(n, wanted);
    return LatentDiagnostics.measure(vae, rows, n, data.batchSize(), new Rng(config.seed()).fork(3_000_003L + epoch));
  }

  /** ELBO, reconstruction and KL averaged over the validation set, without gradients. */
  private double[] validate(int epoch) {
    Engine engine = vae.engine();
    int m = vae.dataDimension();
    Rng noise = new Rng(config.seed()).fork(2_000_003L + epoch);
    double recon = 0;
    double kl = 0;
    float[] buffer = new float[validation.batchSize() * m];
    try (Engine.NoGrad noGrad = engine.noGrad()) {
      for (int b = 0; b < validation.batchesPerEpoch(); b++) {
        int rows = validation.fill(epoch, b, buffer, null);
        try (MemoryScope scope = engine.scope()) {
          ObjectiveTerms terms = vae.terms(TrainingBatch.rows(engine, vae.dtype(), buffer, rows, m), noise, 1);
          recon += terms.reconstruction().sum().item();
          kl += terms.kl().sum().item();
        }
      }
    }
    int n = validation.data().size();
    return new double[] {(recon - kl) / n, recon / n, kl / n};
  }
}
