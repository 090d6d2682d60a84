package dev.vae.core.train;

import dev.vae.api.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The objective of one training step: the scalar loss the optimizer minimises, and the terms the
 * trainer reports, each a mean over the batch in nats per example: scalars, or vectors (one value
 * per latent dimension) whose metrics columns are numbered from 1. The loss is checked and reported
 * as the term {@value #LOSS}.
 *
 * @param loss the scalar to minimise
 * @param terms the reported terms by name, in the order the metrics show them
 * @param examples the examples the means are over (weights of the epoch's averages)
 */
public record StepObjective(Tensor loss, Map<String, Tensor> terms, int examples) {
  /** The name of the loss among the reported terms. */
  public static final String LOSS = "loss";

  public StepObjective {
    terms = new LinkedHashMap<>(terms);
    terms.putIfAbsent(LOSS, loss);
    terms = java.util.Collections.unmodifiableMap(terms);
  }
}
