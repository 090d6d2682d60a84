package dev.vae.core.train;

import dev.vae.api.likelihood.LikelihoodProvider;

/** Test likelihood providers for other packages' tests. */
public final class TestLikelihoods {
  private TestLikelihoods() {}

  /** "unit-gaussian": N(x; mean, 1). */
  public static LikelihoodProvider unitGaussian() {
    return UnitGaussianLikelihood.PROVIDER;
  }
}
