package dev.vae.core.prior;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import java.util.function.Function;

/**
 * What a {@link PriorProvider} builds from: the engine, the latent dimension d, the shape of one
 * example of the data, the model's posterior q(z|x) as a diagonal Gaussian (a flow's base, a full
 * covariance's marginals; to be called only once the model is built, as the VampPrior does on its
 * pseudo-inputs), the stream its parameters are drawn from, the dtype and
 * its own options.
 */
public record PriorContext(Engine engine, int latent, Shape dataShape,
    Function<Tensor, DiagonalGaussianPosterior> posterior, Rng rng, DType dtype, Options options) {}
