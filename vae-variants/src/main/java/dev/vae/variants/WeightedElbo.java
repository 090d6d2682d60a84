package dev.vae.variants;

import dev.vae.api.Tensor;
import dev.vae.api.variant.ObjectiveTerms;

/** The loss −(E_q[log p(x|z)] − w · KL) averaged over the batch, shared by the KL-weighting variants. */
final class WeightedElbo {
  private WeightedElbo() {}

  static Tensor loss(ObjectiveTerms terms, double klWeight) {
    return terms.kl().mul(klWeight).sub(terms.reconstruction()).mean();
  }
}
