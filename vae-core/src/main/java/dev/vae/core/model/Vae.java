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
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Mode;
import dev.vae.core.nn.Network;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.posterior.PosteriorFamily;
import dev.vae.core.prior.LadderPrior;
import dev.vae.core.prior.TrainablePrior;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A variational autoencoder: an encoder network to the parameters of the posterior q(z|x) (a
 * diagonal Gaussian unless another {@link PosteriorFamily} is chosen: full covariance, flows), a
 * decoder network to the parameters of a pluggable likelihood p(x|z), and a prior p(z). The KL is in
 * closed form where posterior and prior have one, else estimated by Monte Carlo. A {@link Variant}
 * may constrain q's variance, replace the prior and choose the training objective (the plain ELBO by
 * default). Made with {@link VaeBuilder}.
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
  private final PosteriorFamily posterior;
  private final int latentDimension;
  private final DType dtype;
  private final Map<String, Parameter> likelihoodParameters;

  Vae(Engine engine, Network encoder, Network decoder, Mode mode, Likelihood likelihood, Prior prior, Variant variant,
      Shape dataShape, PosteriorFamily posterior, int latentDimension, DType dtype) {
    this.engine = engine;
    this.encoder = encoder;
    this.decoder = decoder;
    this.mode = mode;
    this.likelihood = likelihood;
    this.variant = variant;
    this.prior = variant.prior().orElse(prior);
    this.dataShape = dataShape;
    this.posterior = posterior;
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

  /**
   * The dimensions of the model's stochastic layers, z's first: {d}, or with a {@link LadderPrior}
   * its layers' too, in the order their KLs follow each other.
   */
  public int[] layerDimensions() {
    return prior instanceof LadderPrior ladder ? ladder.layerDimensions() : new int[] {latentDimension};
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
   * Every trainable parameter: encoder, decoder, the likelihood's own, the posterior's shared ones
   * (a flow's), then the prior's. Stable order.
   */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>(encoder.parameters());
    all.addAll(decoder.parameters());
    all.addAll(likelihoodParameters.values());
    all.addAll(posterior.parameters());
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
   * variant constrains it; with a {@link LadderPrior}, the posterior over every layer that it makes
   * of it. The encoder reads x as rows; a network for pictures knows their shape from its
   * {@link dev.vae.core.nn.NetworkContext}.
   */
  public Posterior encode(Tensor x) {
    Posterior q = posterior.posterior(encoderOutputs(x), variant::constrainLogVariance);
    return prior instanceof LadderPrior ladder ? ladder.posterior(q) : q;
  }

  /**
   * The encoder's outputs for a batch x [n, {@link PosteriorFamily#encoderOutputs()}]: the numbers
   * each example's posterior is made of.
   */
  public Tensor encoderOutputs(Tensor x) {
    String[] last = {"the encoder's input"};
    Tensor h = encoder.forward(x.reshape(x.dim(0), dataDimension()), (stage, output) -> last[0] = stage);
    Shape expected = Shape.of(x.dim(0), posterior.encoderOutputs());
    if (!h.shape().equals(expected)) {
      throw new IllegalArgumentException("encoder output made by layer '" + last[0] + "' has shape " + h.shape()
          + ", expected " + expected + " (what the " + posterior.describe() + " posterior in " + latentDimension
          + " latent dimensions reads) for data of shape " + x.shape());
    }
    return h;
  }

  /**
   * Each example's own parameters of its posterior for a batch x [n, k]: the encoder's outputs and,
   * with a {@link LadderPrior}, the bottom-up messages of the layers above after them. The
   * amortisation gap optimises them.
   */
  public Tensor localParameters(Tensor x) {
    Tensor outputs = encoderOutputs(x);
    if (!(prior instanceof LadderPrior ladder)) {
      return outputs;
    }
    Tensor upper = ladder.upperMessages(posterior.posterior(outputs, variant::constrainLogVariance));
    return outputs.factory().concat(List.of(outputs, upper), 1);
  }

  /** q(z | x) made of each example's parameters as {@link #localParameters} lays them out, given or optimised. */
  public Posterior posterior(Tensor localParameters) {
    int k = posterior.encoderOutputs();
    Posterior q = posterior.posterior(localParameters.slice(1, 0, k), variant::constrainLogVariance);
    return prior instanceof LadderPrior ladder
        ? ladder.posterior(q, localParameters.slice(1, k, localParameters.dim(1))) : q;
  }

  /** The form of q(z|x). */
  public PosteriorFamily posteriorFamily() {
    return posterior;
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
   * network whose shapes do not fit the data stops before any training, naming the layer; refuses a
   * variant that needs the KL per latent dimension where posterior and prior have none; and runs the
   * variant's objective once on terms of the model's shapes, so that options that do not fit them
   * (free bits' group sizes) fail here.
   */
  void check() {
    try (MemoryScope scope = engine.scope(); Engine.NoGrad noGrad = engine.noGrad()) {
      Posterior q = encode(engine.fromHost(new float[dataDimension()], Shape.of(1, dataDimension())).cast(dtype));
      decode(engine.fromHost(new float[latentDimension], Shape.of(1, latentDimension)).cast(dtype));
      Optional<Tensor> klPerDimension = closedFormKl(q, q.sample(1, new Rng(0)), 1)
          .flatMap(Posterior.Kl::perDimension);
      if (variant.needsKlPerDimension() && klPerDimension.isEmpty()) {
        throw new IllegalArgumentException("variant " + variant.name() + " needs the KL per latent dimension in"
            + " closed form, which the " + posterior.describe() + " posterior and the prior " + prior.name()
            + " do not have; use it with the " + DiagonalGaussianPosterior.NAME + " posterior and the "
            + StandardNormalPrior.NAME + " prior (free bits: or the ladder prior)");
      }
      // The variant's objective on terms of the model's shapes: its options fit them, or it says so now.
      Tensor zero = engine.fromHost(new float[1], Shape.of(1)).cast(dtype);
      int k = variant.importanceSamples();
      variant.objective(new ObjectiveTerms(zero, zero, klPerDimension, k == 0 ? Optional.empty()
          : Optional.of(zero.broadcastTo(Shape.of(k, 1)))), TrainingClock.evaluation());
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
  public ObjectiveTerms terms(Tensor x, Posterior q, Rng rng, int samples) {
    ObjectiveTerms elbo = elboTerms(x, q, rng, samples);
    int k = variant.importanceSamples();
    return k == 0 ? elbo : new ObjectiveTerms(elbo.reconstruction(), elbo.kl(), elbo.klPerDimension(),
        Optional.of(logWeights(x, q, k, rng)));
  }

  /**
   * The ELBO's two terms for a batch x and its posterior q, with {@code samples} reparameterised
   * draws of z per example, without the importance-sample log-weights a variant may ask for.
   */
  public ObjectiveTerms elboTerms(Tensor x, Posterior q, Rng rng, int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("need at least one sample of z per example, got " + samples);
    }
    int n = x.dim(0);
    Posterior.Draws draws = q.sample(samples, rng);
    Tensor logLikelihood = likelihood.logProb(decode(draws.z()), repeat(x, samples));
    Tensor reconstruction = samples == 1 ? logLikelihood : logLikelihood.reshape(samples, n).mean(0);
    Optional<Posterior.Kl> closedForm = closedFormKl(q, draws, samples);
    if (closedForm.isPresent()) {
      return new ObjectiveTerms(reconstruction, closedForm.get().total(), closedForm.get().perDimension(),
          Optional.empty());
    }
    Tensor kl = draws.logProb().sub(logPrior(draws, rng)).reshape(samples, n).mean(0);
    return new ObjectiveTerms(reconstruction, kl, Optional.empty(), Optional.empty());
  }

  /**
   * The KL in closed form, averaged over the draws: with layers above z, each layer's given the draw
   * above it, per dimension from z up [n, Σ d_l]; else q's from the prior, where it has one.
   */
  private Optional<Posterior.Kl> closedFormKl(Posterior q, Posterior.Draws draws, int samples) {
    return draws.hierarchy().map(layers -> {
      Tensor perDimension = layers.klPerDimension();
      Tensor mean = perDimension.reshape(samples, q.batchSize(), perDimension.dim(1)).mean(0);
      return new Posterior.Kl(mean.sum(false, 1), Optional.of(mean));
    }).or(() -> q.klFrom(prior));
  }

  /** log p of each draw: of its whole path where it has layers above z, else the prior's log p(z). */
  private Tensor logPrior(Posterior.Draws draws, Rng rng) {
    return draws.hierarchy().map(Posterior.Hierarchy::logPrior).orElseGet(() -> prior.logProb(draws.z(), rng));
  }

  /**
   * log p(x|z_i) + log p(z_i) − log q(z_i|x) for k reparameterised draws z_i ~ q(z|x) per example
   * (with layers above z, log p and log q of each draw's whole path): [k, n]. Their log-mean-exp
   * over the k draws is the importance-weighted bound (Burda et al. 2016).
   */
  public Tensor logWeights(Tensor x, Posterior q, int k, Rng rng) {
    int n = x.dim(0);
    Posterior.Draws draws = q.sample(k, rng);
    Tensor weights = likelihood.logProb(decode(draws.z()), repeat(x, k)).add(logPrior(draws, rng))
        .sub(draws.logProb());
    return weights.reshape(k, n);
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

  /** Reconstructions of x through the code that stands for its posterior: x̂ = generate(q.pointEstimate()). */
  public Tensor reconstruct(Tensor x, SamplingMode mode, Rng rng) {
    return generate(encode(x).pointEstimate(), mode, rng);
  }

  /** Hidden sizes and activation, for reports and checkpoints. */
  public String describe() {
    return "VAE " + dataDimension() + " -> " + latentDimension + " latent, likelihood " + likelihood.name()
        + ", posterior " + posterior.describe() + ", prior " + prior.name() + ", variant "
        + variant.name() + ", " + parameters().stream().mapToLong(p -> p.shape().size()).sum() + " parameters";
  }

  @Override
  public void close() {
    mode.discard();
    parameters().forEach(Parameter::close);
    buffers().forEach(Parameter::close);
  }

}
