package dev.vae.core.posterior;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.core.autodiff.Engine;

/**
 * What a {@link PosteriorProvider} builds from: the engine, the latent dimension d, the stream its
 * shared parameters are drawn from, the dtype and its own options.
 */
public record PosteriorContext(Engine engine, int latent, Rng rng, DType dtype, Options options) {}
