package dev.vae.core.model;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.ParameterSpec;
import dev.vae.api.model.Prior;
import dev.vae.api.model.SamplingMode;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Mlp;
import dev.vae.core.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A variational autoencoder: an MLP encoder to the mean and log-variance of a diagonal Gaussian
 * q(z|x), an MLP decoder to the parameters of a pluggable likelihood p(x|z), and a prior p(z).
 * Made with {@link VaeBuilder}.
 */
public final class Vae implements AutoCloseable {
  private final Engine engine;
  private final Mlp encoder;
  private final Mlp decoder;
  private final Likelihood likelihood;
  private final Prior prior;
  private final int latentDimension;
  private final DType dtype;
  private final Map<String, Parameter> likelihoodParameters;

  Vae(Engine engine, Mlp encoder, Mlp decoder, Likelihood likelihood, Prior prior, int latentDimension, DType dtype) {
    this.engine = engine;
    this.encoder = encoder;
    this.decoder = decoder;
    this.likelihood = likelihood;
    this.prior = prior;
    this.latentDimension = latentDimension;
    this.dtype = dtype;
    Map<String, Parameter> own = new LinkedHashMap<>();
    for (ParameterSpec spec : likelihood.ownParameters()) {
      double[] values = new double[spec.shape().sizeAsInt()];
      java.util.Arrays.fill(values, spec.initialValue());
      own.put(spec.name(), Parameter.fromHost(spec.name(), engine, values, spec.shape(), dtype));
    }
    this.likelihoodParameters = Collections.unmodifiableMap(own);
  }

  public Engine engine() {
    return engine;
  }

  public Likelihood likelihood() {
    return likelihood;
  }

  public Prior prior() {
    return prior;
  }

  public int dataDimension() {
    return likelihood.dimension();
  }

  public int latentDimension() {
    return latentDimension;
  }

  public DType dtype() {
    return dtype;
  }

  public Mlp encoder() {
    return encoder;
  }

  public Mlp decoder() {
    return decoder;
  }

  /** Every trainable parameter: encoder, decoder, then the likelihood's own. Stable order. */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>(encoder.parameters());
    all.addAll(decoder.parameters());
    all.addAll(likelihoodParameters.values());
    return Collections.unmodifiableList(all);
  }

  /** q(z | x) for a batch x [n, m]. */
  public DiagonalGaussianPosterior encode(Tensor x) {
    Tensor h = encoder.forward(x);
    return new DiagonalGaussianPosterior(h.slice(1, 0, latentDimension), h.slice(1, latentDimension, 2 * latentDimension));
  }

  /** The likelihood's parameters for latent codes z [n, d]. */
  public DecoderOutput decode(Tensor z) {
    Map<String, Tensor> own = new LinkedHashMap<>();
    likelihoodParameters.forEach((name, p) -> own.put(name, p.tensor()));
    return new DecoderOutput(decoder.forward(z), own);
  }

  /**
   * The ELBO's terms for a batch, with {@code samples} reparameterised draws of z per example for
   * the reconstruction term and the KL in closed form where the prior has one (else Monte Carlo
   * with the same draws).
   */
  public ElboTerms elbo(Tensor x, Rng rng, int samples) {
    DiagonalGaussianPosterior q = encode(x);
    return elbo(x, q, rng, samples);
  }

  /** As {@link #elbo(Tensor, Rng, int)} for an already computed posterior. */
  public ElboTerms elbo(Tensor x, DiagonalGaussianPosterior q, Rng rng, int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("need at least one sample of z per example, got " + samples);
    }
    int n = x.dim(0);
    Tensor z = q.sample(samples, rng);
    Tensor xs = samples == 1 ? x : x.broadcastTo(Shape.of(samples, n, x.dim(1))).reshape(samples * n, x.dim(1));
    Tensor logLikelihood = likelihood.logProb(decode(z), xs);
    Tensor reconstruction = samples == 1 ? logLikelihood : logLikelihood.reshape(samples, n).mean(0);
    var closedForm = prior.klFromDiagonalGaussian(q.mean(), q.logVariance());
    if (closedForm.isPresent()) {
      Tensor perDim = closedForm.get();
      return new ElboTerms(reconstruction, perDim.sum(false, 1), perDim.mean(0));
    }
    Tensor kl = q.logProb(z, samples).sub(prior.logProb(z)).reshape(samples, n).mean(0);
    return new ElboTerms(reconstruction, kl, kl.full(Shape.of(latentDimension), Double.NaN));
  }

  /** n generated examples: z ~ p(z), then x ~ p(x|z) (ANCESTRAL) or E[x|z] (MEAN). */
  public Tensor sample(int n, SamplingMode mode, Rng rng) {
    Tensor z = prior.sample(n, latentDimension, engine, dtype, rng);
    return generate(z, mode, rng);
  }

  /** x for given latent codes, in the given mode. */
  public Tensor generate(Tensor z, SamplingMode mode, Rng rng) {
    DecoderOutput out = decode(z);
    return mode == SamplingMode.ANCESTRAL ? likelihood.sample(out, rng) : likelihood.mean(out);
  }

  /** Reconstructions of x through the posterior mean: x̂ = generate(μ(x)). */
  public Tensor reconstruct(Tensor x, SamplingMode mode, Rng rng) {
    return generate(encode(x).mean(), mode, rng);
  }

  /** Hidden sizes and activation, for reports and checkpoints. */
  public String describe() {
    return "VAE " + dataDimension() + " -> " + latentDimension + " latent, likelihood " + likelihood.name()
        + ", prior " + prior.name() + ", " + parameters().stream().mapToLong(p -> p.shape().size()).sum()
        + " parameters";
  }

  @Override
  public void close() {
    parameters().forEach(Parameter::close);
  }

}
