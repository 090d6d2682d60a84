package dev.vae.core.model;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.ParameterSpec;
import dev.vae.api.model.Prior;
import dev.vae.api.model.SamplingMode;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.flow.PlanarFlows;
import dev.vae.core.nn.Mode;
import dev.vae.core.nn.Network;
import dev.vae.core.nn.Parameter;
import dev.vae.core.prior.TrainablePrior;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A variational autoencoder: an encoder network to the mean and log-variance of a diagonal Gaussian
 * q₀(z|x), optionally followed by planar flows (then q(z|x) is q₀ pushed through them and the KL is
 * estimated by Monte Carlo), a decoder network to the parameters of a pluggable likelihood p(x|z),
 * and a prior p(z). A
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
  private final Shape dataShape;
  private final PlanarFlows flow;
  private final int latentDimension;
  private final DType dtype;
  private final Map<String, Parameter> likelihoodParameters;

  Vae(Engine engine, Network encoder, Network decoder, Mode mode, Likelihood likelihood, Prior prior, Variant variant,
      Shape dataShape, PlanarFlows flow, int latentDimension, DType dtype) {
    this.engine = engine;
    this.encoder = encoder;
    this.decoder = decoder;
    this.mode = mode;
    this.likelihood = likelihood;
    this.variant = variant;
    this.prior = variant.prior().orElse(prior);
    this.dataShape = dataShape;
    this.flow = flow;
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

  /** The shape of one example: [m] for rows, [c, h, w] for pictures. */
  public Shape dataShape() {
    return dataShape;
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

  /**
   * Every trainable parameter: encoder, decoder, the likelihood's own, the posterior's flows', then
   * the prior's. Stable order.
   */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>(encoder.parameters());
    all.addAll(decoder.parameters());
    all.addAll(likelihoodParameters.values());
    if (flow != null) {
      all.addAll(flow.parameters());
    }
    if (prior instanceof TrainablePrior trainable) {
      all.addAll(trainable.parameters());
    }
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

  /**
   * q(z | x) for a batch x, rows [n, m] or in the data's shape [n, c, h, w], its log-variance as the
   * variant constrains it. The encoder reads x as rows; a network for pictures knows their shape
   * from its {@link dev.vae.core.nn.NetworkContext}.
   */
  public DiagonalGaussianPosterior encode(Tensor x) {
    String[] last = {"the encoder's input"};
    Tensor h = encoder.forward(x.reshape(x.dim(0), dataDimension()), (stage, output) -> last[0] = stage);
    if (!h.shape().equals(Shape.of(x.dim(0), 2 * latentDimension))) {
      throw new IllegalArgumentException("encoder output made by layer '" + last[0] + "' has shape " + h.shape()
          + ", expected " + Shape.of(x.dim(0), 2 * latentDimension) + " (the means and log-variances of "
          + latentDimension + " latent dimensions) for data of shape " + x.shape());
    }
    Tensor rawLogVariance = h.slice(1, latentDimension, 2 * latentDimension);
    return new DiagonalGaussianPosterior(h.slice(1, 0, latentDimension), variant.constrainLogVariance(rawLogVariance));
  }

  /**
   * The likelihood's parameters for latent codes z [n, d]: the decoder's outputs, rows [n, k·m] or
   * in the data's shape [n, k·c, h, w], checked against the data's shape.
   */
  public DecoderOutput decode(Tensor z) {
    Map<String, Tensor> own = new LinkedHashMap<>();
    likelihoodParameters.forEach((name, p) -> own.put(name, p.tensor()));
    String[] last = {"the decoder's input"};
    Tensor outputs = decoder.forward(z, (stage, output) -> last[0] = stage);
    int n = z.dim(0);
    int k = likelihood.outputsPerDimension();
    Shape rows = Shape.of(n, k * dataDimension());
    Shape shaped = Shape.batch(n, dataShape).withDim(1, k * dataShape.dim(0));
    if (!outputs.shape().equals(rows) && !outputs.shape().equals(shaped)) {
      throw new IllegalArgumentException("decoder output made by layer '" + last[0] + "' has shape " + outputs.shape()
          + ", expected " + shaped + (shaped.equals(rows) ? "" : " or " + rows) + " for data of shape " + dataShape
          + " (the " + likelihood.name() + " likelihood's " + k + " output" + (k == 1 ? "" : "s")
          + " per data value" + (k == 1 ? "" : ", stacked along axis 1") + ")");
    }
    return new DecoderOutput(outputs, own, last[0], shaped);
  }

  /**
   * Runs one example of zeros through the encoder and one latent code through the decoder, so that a
   * network whose shapes do not fit the data stops before any training, naming the layer; and
   * refuses a variant that needs the KL per latent dimension with a prior that has no closed form.
   */
  void check() {
    try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
      DiagonalGaussianPosterior q = encode(engine.fromHost(new float[dataDimension()], Shape.of(1, dataDimension()))
          .cast(dtype));
      decode(engine.fromHost(new float[latentDimension], Shape.of(1, latentDimension)).cast(dtype));
      if (variant.needsKlPerDimension() && flow != null) {
        throw new IllegalArgumentException("variant " + variant.name() + " needs the KL per latent dimension in"
            + " closed form, which a posterior with planar flows does not have; train it without --flow-steps");
      }
      if (variant.needsKlPerDimension() && prior.klFromDiagonalGaussian(q.mean(), q.logVariance()).isEmpty()) {
        throw new IllegalArgumentException("variant " + variant.name() + " needs the KL per latent dimension in"
            + " closed form, and the prior " + prior.name() + " has none (its KL is estimated by Monte Carlo); use"
            + " the standard normal prior with it");
      }
    }
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
    ObjectiveTerms elbo = elboTerms(x, q, rng, samples);
    int k = variant.importanceSamples();
    return k == 0 ? elbo : new ObjectiveTerms(elbo.reconstruction(), elbo.kl(), elbo.klPerDimension(),
        Optional.of(logWeights(x, q, k, rng)));
  }

  /**
   * The ELBO's two terms for a batch x and its posterior q, with {@code samples} reparameterised
   * draws of z per example, without the importance-sample log-weights a variant may ask for.
   */
  public ObjectiveTerms elboTerms(Tensor x, DiagonalGaussianPosterior q, Rng rng, int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("need at least one sample of z per example, got " + samples);
    }
    int n = x.dim(0);
    Draws draws = draw(q, samples, rng);
    Tensor logLikelihood = likelihood.logProb(decode(draws.z()), repeat(x, samples));
    Tensor reconstruction = samples == 1 ? logLikelihood : logLikelihood.reshape(samples, n).mean(0);
    Optional<Tensor> closedForm = flow == null ? prior.klFromDiagonalGaussian(q.mean(), q.logVariance())
        : Optional.empty();
    if (closedForm.isPresent()) {
      return new ObjectiveTerms(reconstruction, closedForm.get().sum(false, 1), closedForm, Optional.empty());
    }
    Tensor kl = draws.logPosterior().sub(prior.logProb(draws.z())).reshape(samples, n).mean(0);
    return new ObjectiveTerms(reconstruction, kl, Optional.empty(), Optional.empty());
  }

  /**
   * log p(x|z_i) + log p(z_i) − log q(z_i|x) for k reparameterised draws z_i ~ q(z|x) per example:
   * [k, n]. Their log-mean-exp over the k draws is the importance-weighted bound (Burda et al. 2016).
   */
  public Tensor logWeights(Tensor x, DiagonalGaussianPosterior q, int k, Rng rng) {
    int n = x.dim(0);
    Draws draws = draw(q, k, rng);
    Tensor weights = likelihood.logProb(decode(draws.z()), repeat(x, k)).add(prior.logProb(draws.z()))
        .sub(draws.logPosterior());
    return weights.reshape(k, n);
  }

  /**
   * {@code samples} reparameterised draws of z per example, stacked sample-major: draws z₀ of the
   * base posterior q, through the flows when the posterior has them.
   */
  private Draws draw(DiagonalGaussianPosterior q, int samples, Rng rng) {
    Tensor z0 = q.sample(samples, rng);
    return new Draws(q, samples, z0, flow == null ? null : flow.forward(z0));
  }

  /** Draws of z from q(z|x): the base posterior's z₀ and, with flows, what they became (else null). */
  private record Draws(DiagonalGaussianPosterior q, int samples, Tensor z0, PlanarFlows.Transformed flowed) {
    /** The latent codes [samples · n, d]. */
    Tensor z() {
      return flowed == null ? z0 : flowed.z();
    }

    /** log q(z|x) [samples · n]: log q(z₀|x), less the flows' log-determinant. */
    Tensor logPosterior() {
      Tensor base = q.logProb(z0, samples);
      return flowed == null ? base : base.sub(flowed.logDeterminant());
    }
  }

  /** x as rows [n, m], stacked {@code times} over, sample-major: [times · n, m]. */
  private Tensor repeat(Tensor x, int times) {
    int n = x.dim(0);
    int m = dataDimension();
    Tensor rows = x.reshape(n, m);
    return times == 1 ? rows : rows.broadcastTo(Shape.of(times, n, m)).reshape(times * n, m);
  }

  /**
   * n generated examples in the data's shape ([n, m] or [n, c, h, w]): z ~ p(z), then x ~ p(x|z)
   * (ANCESTRAL) or E[x|z] (MEAN).
   */
  public Tensor sample(int n, SamplingMode mode, Rng rng) {
    Tensor z = prior.sample(n, latentDimension, engine, dtype, rng);
    return generate(z, mode, rng);
  }

  /** x for given latent codes [n, d], in the given mode and the data's shape. */
  public Tensor generate(Tensor z, SamplingMode mode, Rng rng) {
    DecoderOutput out = decode(z);
    Tensor x = mode == SamplingMode.ANCESTRAL ? likelihood.sample(out, rng) : likelihood.mean(out);
    return x.reshape(Shape.batch(z.dim(0), dataShape));
  }

  /** Reconstructions of x through the posterior mean: x̂ = generate(μ(x)). */
  public Tensor reconstruct(Tensor x, SamplingMode mode, Rng rng) {
    return generate(pointEstimate(encode(x)), mode, rng);
  }

  /** The latent code that stands for q(z|x): the base posterior's mean, through the flows when it has them. */
  public Tensor pointEstimate(DiagonalGaussianPosterior q) {
    return flow == null ? q.mean() : flow.forward(q.mean()).z();
  }

  /** The number of planar flows on the posterior (0 for a plain diagonal Gaussian). */
  public int flowSteps() {
    return flow == null ? 0 : flow.steps();
  }

  /** Hidden sizes and activation, for reports and checkpoints. */
  public String describe() {
    return "VAE " + dataDimension() + " -> " + latentDimension + " latent, likelihood " + likelihood.name()
        + (flow == null ? "" : ", " + flow.steps() + " planar flows") + ", prior " + prior.name() + ", variant "
        + variant.name() + ", " + parameters().stream().mapToLong(p -> p.shape().size()).sum() + " parameters";
  }

  @Override
  public void close() {
    mode.discard();
    parameters().forEach(Parameter::close);
    buffers().forEach(Parameter::close);
  }

}
