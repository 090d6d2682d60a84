package dev.vae.core.train;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.variant.Objective;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.Posterior;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain VAE as the trainer sees it: its variant's objective on {@code samples} draws of z per
 * example. Each step reports the ELBO's two terms ({@value #RECONSTRUCTION}, {@value #KL}), the
 * loss, every term the variant reports (as {@code variant_<name>}), the KL of each latent
 * dimension ({@value #KL_PER_DIMENSION}, a vector) and, for a model with stochastic layers above z,
 * the KL of each layer ({@value #KL_PER_LAYER}, z's first); the ELBO ({@value #ELBO}) is derived from
 * the epoch's averages of its terms.
 */
public final class VaeTraining implements TrainableModel {
  /** The ELBO, reconstruction minus KL. */
  public static final String ELBO = "elbo";
  /** E_q[log p(x|z)]. */
  public static final String RECONSTRUCTION = "reconstruction";
  /** KL(q(z|x) || p(z)). */
  public static final String KL = "kl";
  /** The KL of each dimension of z, where the prior gives it in closed form. */
  public static final String KL_PER_DIMENSION = "kl_z";
  /** The KL of each stochastic layer, z's first, for a model with layers above z. */
  public static final String KL_PER_LAYER = "kl_layer";
  /** The prefix of the variant's own terms. */
  public static final String VARIANT_PREFIX = "variant_";

  private final Vae vae;
  private final int samples;

  /** Trains {@code vae} on {@code samples} draws of z per example (at least 1). */
  public VaeTraining(Vae vae, int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples of z per example must be at least 1, got " + samples);
    }
    this.vae = vae;
    this.samples = samples;
  }

  /** The VAE. */
  public Vae vae() {
    return vae;
  }

  @Override
  public Engine engine() {
    return vae.engine();
  }

  @Override
  public DType dtype() {
    return vae.dtype();
  }

  @Override
  public int dataDimension() {
    return vae.dataDimension();
  }

  @Override
  public List<Parameter> parameters() {
    return vae.parameters();
  }

  @Override
  public List<Parameter> buffers() {
    return vae.buffers();
  }

  /** The step's forward computation runs with the networks in training mode, drawing from {@code noise}. */
  @Override
  public StepObjective objective(TrainingBatch batch, Rng noise, TrainingClock clock) {
    return vae.training(noise, () -> trainingObjective(batch, noise, clock));
  }

  @Override
  public void stepTaken() {
    vae.stepTaken();
  }

  private StepObjective trainingObjective(TrainingBatch batch, Rng noise, TrainingClock clock) {
    Tensor x = batch.x();
    Posterior q = vae.encode(x);
    ObjectiveTerms terms = vae.terms(x, q, noise, samples);
    Objective objective = vae.variant().objective(terms, clock);
    Tensor reconstruction = terms.reconstruction().mean();
    Tensor kl = terms.kl().mean();
    Map<String, Tensor> reported = new LinkedHashMap<>();
    reported.put(RECONSTRUCTION, reconstruction);
    reported.put(KL, kl);
    reported.put(StepObjective.LOSS, objective.loss());
    objective.reported().forEach((name, value) -> reported.put(VARIANT_PREFIX + name, value));
    terms.klPerDimension().ifPresent(perDimension -> reported.put(KL_PER_DIMENSION,
        perDimension.slice(1, 0, vae.latentDimension()).mean(0)));
    if (vae.layerDimensions().length > 1) {
      reported.put(KL_PER_LAYER, terms.batchKlPerGroup("the KL per layer", vae.layerDimensions()));
    }
    return new StepObjective(objective.loss(), reported, x.dim(0));
  }

  /** The ELBO, reconstruction less KL, from the epoch's averages of the two. */
  @Override
  public Map<String, double[]> derivedTerms(Map<String, double[]> means) {
    double[] reconstruction = means.get(RECONSTRUCTION);
    double[] kl = means.get(KL);
    return reconstruction == null || kl == null ? Map.of()
        : Map.of(ELBO, new double[] {reconstruction[0] - kl[0]});
  }

  @Override
  public List<String> warnings(long totalSteps) {
    return vae.variant().warnings(totalSteps);
  }

  @Override
  public String locateNonFinite(TrainingBatch batch, Rng rng) {
    return NonFiniteTracer.trace(vae, batch.x(), rng).orElse("");
  }

  @Override
  public Map<String, Double> estimates() {
    return vae.likelihood().estimates();
  }

  @Override
  public void restoreEstimates(Map<String, Double> saved) {
    vae.likelihood().restoreEstimates(saved);
  }

  @Override
  public String describe() {
    return vae.describe();
  }
}
