package dev.vae.core.train;

import dev.vae.api.Rng;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.eval.LatentDiagnostics;
import dev.vae.core.eval.LayerKl;
import dev.vae.core.model.Vae;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What is measured of a plain VAE after each epoch: the latent diagnostics on the first
 * {@link TrainerConfig#diagnosticExamples} examples of the validation set (of the training set when
 * there is none), for a model with layers above z each layer's too ({@code active_units_layer2},
 * {@code mutual_information_layer2}, …), and the validation set's ELBO and its terms ({@code validation_elbo},
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
    Batches diagnosed = validation != null ? validation : train;
    int wanted = Math.min(config.diagnosticExamples(), diagnosed.data().size());
    float[] rows = new float[wanted == 0 ? 0 : (wanted + diagnosed.batchSize()) * vae.dataDimension()];
    int n = wanted == 0 ? 0 : Math.min(wanted, firstRows(diagnosed, epoch, wanted, rows));
    Rng rng = new Rng(config.seed()).fork(3_000_003L + epoch);
    LatentDiagnostics diagnostics = n == 0 ? LatentDiagnostics.none(vae.latentDimension())
        : LatentDiagnostics.measure(vae, rows, n, diagnosed.batchSize(), rng);
    double[] terms = validation == null ? new double[] {Double.NaN, Double.NaN, Double.NaN} : validate(epoch);
    Map<String, Double> values = new LinkedHashMap<>();
    values.put(VALIDATION_ELBO, terms[0]);
    values.put("validation_reconstruction", terms[1]);
    values.put("validation_kl", terms[2]);
    if (n > 0) {
      LayerKl.measure(vae, rows, n, diagnosed.batchSize(), rng).ifPresent(layers -> {
        for (int l = 1; l < layers.layers().size(); l++) {
          LatentDiagnostics upper = layers.layers().get(l).latent();
          values.put("active_units_layer" + (l + 1), (double) upper.activeUnits());
          values.put("mutual_information_layer" + (l + 1), upper.mutualInformation());
        }
      });
    }
    return new Measures(values, diagnostics);
  }

  /**
   * Fills {@code rows} with the first batches of this epoch's order of {@code data} (binarised as
   * training sees it), at least {@code wanted} rows where there are as many: the examples the latent
   * diagnostics are measured on. Gives how many it filled.
   */
  private int firstRows(Batches data, int epoch, int wanted, float[] rows) {
    int m = vae.dataDimension();
    float[] buffer = new float[data.batchSize() * m];
    int n = 0;
    for (int b = 0; b < data.batchesPerEpoch() && n < wanted; b++) {
      int filled = data.fill(epoch, b, buffer, null);
      System.arraycopy(buffer, 0, rows, n * m, filled * m);
      n += filled;
    }
    return n;
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
