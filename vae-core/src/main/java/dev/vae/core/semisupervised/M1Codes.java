package dev.vae.core.semisupervised;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.model.SamplingMode;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.Posterior;

/**
 * The inputs of M2 in M1+M2: latent codes z₁ of a trained (and frozen) VAE, M1. As in Kingma et
 * al. (2014), training draws z₁ ~ q(z₁ | x) afresh for every batch (or, with {@code sample} false,
 * uses the code that stands for the posterior, its mean through any flows); classification always
 * uses that code. M1 gets no gradients.
 */
public final class M1Codes implements Inputs {
  private final Vae m1;
  private final boolean sample;

  /**
   * @param m1 the trained VAE, left unchanged
   * @param sample draw z₁ ~ q(z₁ | x) for training batches; false: the posterior mean
   */
  public M1Codes(Vae m1, boolean sample) {
    this.m1 = m1;
    this.sample = sample;
  }

  @Override
  public int dimension() {
    return m1.latentDimension();
  }

  @Override
  public int dataDimension() {
    return m1.dataDimension();
  }

  @Override
  public Tensor training(Tensor x, Rng rng) {
    try (Engine.NoGrad noGrad = m1.engine().noGrad()) {
      Posterior q = m1.encode(x);
      return (sample ? q.sample(1, rng).z() : q.pointEstimate()).detach();
    }
  }

  @Override
  public Tensor evaluation(Tensor x) {
    try (Engine.NoGrad noGrad = m1.engine().noGrad()) {
      return m1.encode(x).pointEstimate().detach();
    }
  }

  /** M1's decoding of codes z₁ (ANCESTRAL: x ~ p(x | z₁); MEAN: E[x | z₁]). */
  @Override
  public Tensor toData(Tensor inputs, SamplingMode mode, Rng rng) {
    return m1.generate(inputs, mode, rng);
  }
}
