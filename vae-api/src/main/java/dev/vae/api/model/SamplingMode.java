package dev.vae.api.model;

/**
 * How a generated x is obtained from p(x | z). Most VAE code silently returns the decoder's mean;
 * here the caller always says which, and pictures are labelled with it.
 */
public enum SamplingMode {
  /** x ~ p(x | z): a true sample of the model, noise included. */
  ANCESTRAL,
  /** E[x | z]: the decoder's mean, smooth but not a sample of the model. */
  MEAN
}
