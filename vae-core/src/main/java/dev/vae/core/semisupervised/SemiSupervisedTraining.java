package dev.vae.core.semisupervised;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.variant.TrainingClock;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Parameter;
import dev.vae.core.train.StepObjective;
import dev.vae.core.train.TrainableModel;
import dev.vae.core.train.TrainingBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SemiSupervisedModel} as the trainer sees it. Each step takes a paired batch
 * ({@link dev.vae.core.train.BatchSource#paired}): the loss is w·(−L(x, y)) + α·(−log q(y | x))
 * averaged over the labelled batch plus U(x) averaged over the unlabelled one, on M2's inputs
 * ({@link Inputs}: the data, or M1's codes drawn afresh). It reports {@value #LABELLED_BOUND} (mean
 * L(x, y)), {@value #CROSS_ENTROPY} (mean −log q(y | x)), {@value #UNLABELLED_BOUND} (mean −U(x), a
 * lower bound on log p(x)), the loss, and {@value #LABELLED_ACCURACY}, the fraction of the labelled
 * batch q(y | x) classifies right.
 */
public final class SemiSupervisedTraining implements TrainableModel {
  /** Mean L(x, y) of the labelled batches. */
  public static final String LABELLED_BOUND = "labelled_bound";
  /** Mean −log q(y | x) of the labelled batches. */
  public static final String CROSS_ENTROPY = "cross_entropy";
  /** Mean −U(x) of the unlabelled batches. */
  public static final String UNLABELLED_BOUND = "unlabelled_bound";
  /** The fraction of labelled examples q(y | x) classified right as they were trained. */
  public static final String LABELLED_ACCURACY = "labelled_accuracy";

  private final SemiSupervisedModel model;
  private final Inputs inputs;
  private final double alpha;
  private final double labelledWeight;

  /**
   * Trains {@code model} on {@code inputs} with the classification loss weighted by {@code alpha}
   * and the labelled bound by {@code labelledWeight} (both finite and at least 0).
   */
  public SemiSupervisedTraining(SemiSupervisedModel model, Inputs inputs, double alpha, double labelledWeight) {
    if (inputs.dimension() != model.dataDimension()) {
      throw new IllegalArgumentException("the model expects inputs of dimension " + model.dataDimension()
          + " but the input map gives " + inputs.dimension());
    }
    SemiSupervisedConfig.requireWeight("alpha", alpha);
    SemiSupervisedConfig.requireWeight("labelled-weight", labelledWeight);
    this.model = model;
    this.inputs = inputs;
    this.alpha = alpha;
    this.labelledWeight = labelledWeight;
  }

  @Override
  public Engine engine() {
    return model.engine();
  }

  @Override
  public DType dtype() {
    return model.dtype();
  }

  @Override
  public int dataDimension() {
    return inputs.dataDimension();
  }

  @Override
  public List<Parameter> parameters() {
    return model.parameters();
  }

  @Override
  public StepObjective objective(TrainingBatch batch, Rng noise, TrainingClock clock) {
    if (batch.labelled() == null) {
      throw new IllegalArgumentException("semi-supervised training needs a labelled batch beside each unlabelled "
          + "one; train with BatchSource.paired");
    }
    Tensor labelled = inputs.training(batch.labelled(), noise);
    Tensor unlabelled = inputs.training(batch.x(), noise);
    int[] labels = batch.labelledLabels();
    SemiSupervisedModel.Terms terms = model.objective(labelled, labels, unlabelled, alpha, labelledWeight, noise);
    Map<String, Tensor> reported = new LinkedHashMap<>();
    reported.put(LABELLED_BOUND, terms.negativeBound().neg());
    reported.put(CROSS_ENTROPY, terms.crossEntropy());
    reported.put(UNLABELLED_BOUND, terms.unlabelled().neg());
    reported.put(StepObjective.LOSS, terms.loss());
    reported.put(LABELLED_ACCURACY, fractionRight(labelled, labels));
    return new StepObjective(terms.loss(), reported, batch.rows());
  }

  /** The fraction of {@code x} whose class q(y | x) predicts right, as a scalar constant. */
  private Tensor fractionRight(Tensor x, int[] labels) {
    int[] predicted;
    try (Engine.NoGrad noGrad = engine().noGrad()) {
      predicted = model.predict(x.detach());
    }
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      right += predicted[i] == labels[i] ? 1 : 0;
    }
    return engine().fromHost(new double[] {(double) right / labels.length}, Shape.of(), DType.FLOAT64);
  }

  @Override
  public Map<String, Double> estimates() {
    return model.likelihood().estimates();
  }

  @Override
  public void restoreEstimates(Map<String, Double> saved) {
    model.likelihood().restoreEstimates(saved);
  }

  @Override
  public String describe() {
    return model.describe();
  }
}
