package dev.vae.core.semisupervised;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.model.SamplingMode;

/**
 * What M2 sees of a batch of data: the data itself ({@link #data}), or, in M1+M2, latent codes of
 * a trained VAE ({@link M1Codes}). Training draws fresh inputs for every batch; evaluation uses
 * deterministic ones.
 */
public interface Inputs {
  /** The dimension of the inputs M2 models. */
  int dimension();

  /** The dimension of the data the inputs are made from. */
  int dataDimension();

  /** M2's inputs for a training batch x [n, m], drawn anew each time where the map is random. */
  Tensor training(Tensor x, Rng rng);

  /** M2's inputs for evaluation (classification): deterministic. */
  Tensor evaluation(Tensor x);

  /** Data for generated inputs (for pictures): the inputs themselves, or M1's decoding of them. */
  Tensor toData(Tensor inputs, SamplingMode mode, Rng rng);

  /** M2 on the data itself. */
  static Inputs data(int dimension) {
    return new Inputs() {
      @Override
      public int dimension() {
        return dimension;
      }

      @Override
      public int dataDimension() {
        return dimension;
      }

      @Override
      public Tensor training(Tensor x, Rng rng) {
        return x;
      }

      @Override
      public Tensor evaluation(Tensor x) {
        return x;
      }

      @Override
      public Tensor toData(Tensor inputs, SamplingMode mode, Rng rng) {
        return inputs;
      }
    };
  }
}
