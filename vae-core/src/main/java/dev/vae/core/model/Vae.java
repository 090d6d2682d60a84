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
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Mode;
import dev.vae.core.nn.Network;
import dev.vae.core.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A variational autoencoder: an encoder network to the mean and log-variance of a diagonal Gaussian
 * q(z|x), a decoder network to the parameters of a pluggable likelihood p(x|z), and a prior p(z). A
 * {@link Variant} may constrain q's variance, replace the prior and choose the training objective
 * (the plain ELBO by default). Made with {@link VaeBuilder}.
 */
public final class Vae implements AutoCloseable {
  private final Engine engine;
  private final Network encoder;
  private final Network decoder;
  private final Mode mode;
  private final Likelihood likelihood;
  private final Prior prior;
  private final Variant variant;
  private final int latentDimension;
  private final DType dtype;
  private final Map<String, Parameter> likelihoodParameters;

  Vae(Engine engine, Network encoder, Network decoder, Mode mode, Likelihood likelihood, Prior prior, Variant variant,
      int latentDimension, DType dtype) {
    this.engine = engine;
    this.encoder = encoder;
    this.decoder = decoder;
    this.mode = mode;
    this.likelihood = likelihood;
    this.variant = variant;
    this.prior = variant.prior().orElse(prior);
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

  /** The prior in use: the variant's if it brings one, else the builder's. */
  public Prior prior() {
    return prior;
  }

  public Variant variant() {
    return variant;
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

  public Network encoder() {
    return encoder;
  }

  public Network decoder() {
    return decoder;
  }

  /** Every trainable parameter: encoder, decoder, then the likelihood's own. Stable order. */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>(encoder.parameters());
    all.addAll(decoder.parameters());
    all.addAll(likelihoodParameters.values());
    return Collections.unmodifiableList(all);
  }

  /** The networks' state that is saved but not trained (batch normalisation's running statistics). */
  public List<Parameter> buffers() {
    List<Parameter> all = new ArrayList<>(encoder.buffers());
    all.addAll(decoder.buffers());
    return Collections.unmodifiableList(all);
  }

  /**
   * Runs {@code pass} (a training step's forward computation) with the networks in training mode,
   * their dropout drawing from {@code noise}; everything else runs in evaluation mode.
   */
  public <T> T training(Rng noise, Supplier<T> pass) {
    return mode.training(noise, pass);
  }

  /**
   * The last training pass's step was taken: its changes to the networks' state are made
   * ({@link Mode#commit}).
   */
  public void stepTaken() {
    mode.commit();
  }

  /** q(z | x) for a batch x [n, m], its log-variance as the variant constrains it. */
  public DiagonalGaussianPosterior encode(Tensor x) {
    Tensor h = encoder.forward(x);
    Tensor rawLogVariance = h.slice(1, latentDimension, 2 * latentDimension);
    return new DiagonalGaussianPosterior(h.slice(1, 0, latentDimension), variant.constrainLogVariance(rawLogVariance));
  }

  /** The likelihood's parameters for latent codes z [n, d]. */
  public DecoderOutput decode(Tensor z) {
    Map<String, Tensor> own = new LinkedHashMap<>();
    likelihoodParameters.forEach((name, p) -> own.put(name, p.tensor()));
    return new DecoderOutput(decoder.forward(z), own);
  }

  /**
   * The terms of the objective for a batch x [n, m]: the reconstruction term with {@code samples}
   * reparameterised draws of z per example, the KL in closed form where the prior has one (else
   * Monte Carlo with the same draws), and, when the variant asks for them, its importance-sample
   * log-weights.
   */
  public ObjectiveTerms terms(Tensor x, Rng rng, int samples) {
    return terms(x, encode(x), rng, samples);
  }

  /** As {@link #terms(Tensor, Rng, int)} for an already computed posterior. */
  public ObjectiveTerms terms(Tensor x, DiagonalGaussianPosterior q, Rng rng, int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("need at least one sample of z per example, got " + samples);
    }
    int n = x.dim(0);
    Tensor z = q.sample(samples, rng);
    Tensor logLikelihood = likelihood.logProb(decode(z), repeat(x, samples));
    Tensor reconstruction = samples == 1 ? logLikelihood : logLikelihood.reshape(samples, n).mean(0);
    int k = variant.importanceSamples();
    Optional<Tensor> logWeights = k > 0 ? Optional.of(logWeights(x, q, k, rng)) : Optional.empty();
    Optional<Tensor> closedForm = prior.klFromDiagonalGaussian(q.mean(), q.logVariance());
    if (closedForm.isPresent()) {
      return new ObjectiveTerms(reconstruction, closedForm.get().sum(false, 1), closedForm, logWeights);
    }
    Tensor kl = q.logProb(z, samples).sub(prior.logProb(z)).reshape(samples, n).mean(0);
    return new ObjectiveTerms(reconstruction, kl, Optional.empty(), logWeights);
  }

  /**
   * log p(x|z_i) + log p(z_i) − log q(z_i|x) for k reparameterised draws z_i ~ q(z|x) per example:
   * [k, n]. Their log-mean-exp over the k draws is the importance-weighted bound (Burda et al. 2016).
   */
  public Tensor logWeights(Tensor x, DiagonalGaussianPosterior q, int k, Rng rng) {
    int n = x.dim(0);
    Tensor z = q.sample(k, rng);
    Tensor weights = likelihood.logProb(decode(z), repeat(x, k)).add(prior.logProb(z)).sub(q.logProb(z, k));
    return weights.reshape(k, n);
  }

  /** x [n, m] stacked {@code times} over, sample-major: [times · n, m]. */
  private static Tensor repeat(Tensor x, int times) {
    int n = x.dim(0);
    return times == 1 ? x : x.broadcastTo(Shape.of(times, n, x.dim(1))).reshape(times * n, x.dim(1));
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
        + ", prior " + prior.name() + ", variant " + variant.name() + ", " + parameters().stream().mapToLong(p -> p.shape().size()).sum()
        + " parameters";
  }

  @Override
  public void close() {
    mode.discard();
    parameters().forEach(Parameter::close);
    buffers().forEach(Parameter::close);
  }

}
