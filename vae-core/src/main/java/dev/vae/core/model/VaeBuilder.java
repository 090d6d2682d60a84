package dev.vae.core.model;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.model.Prior;
import dev.vae.api.variant.StructuralVariant;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Initializer;
import dev.vae.core.nn.MlpNetworkProvider;
import dev.vae.core.nn.Mode;
import dev.vae.core.nn.NetworkContext;
import dev.vae.core.nn.NetworkProvider;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.posterior.PosteriorContext;
import dev.vae.core.posterior.PosteriorFamily;
import dev.vae.core.posterior.PosteriorProvider;
import dev.vae.core.prior.PriorContext;
import dev.vae.core.prior.PriorProvider;
import dev.vae.core.prior.TrainablePrior;
import dev.vae.core.variant.Elbo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Plain-Java construction of a {@link Vae}: the data's shape (rows of the likelihood's dimension
 * unless set), network family (MLPs unless set), hidden layer sizes, latent dimension, activation,
 * likelihood, posterior (a diagonal Gaussian unless set), prior (the standard normal unless set),
 * variant (the plain ELBO unless set), initialiser, seed and dtype. The encoder maps m to the
 * posterior's numbers (2d for a diagonal Gaussian) and the decoder d to m · (likelihood outputs per
 * dimension); with MLPs the encoder is m → hidden… → those numbers and the decoder mirrors it.
 */
public final class VaeBuilder {
  /** The fork of the seed's stream that a prior's parameters are drawn from (the networks' is the seed's own). */
  private static final long PRIOR_STREAM = 31;
  /** The fork a posterior's shared parameters (a flow's) are drawn from. */
  private static final long POSTERIOR_STREAM = 37;
  private final Engine engine;
  private Likelihood likelihood;
  private PriorProvider prior = new StandardNormalPrior.Provider();
  private Options priorOptions = Options.none();
  private PosteriorProvider posterior = new DiagonalGaussianPosterior.Provider();
  private Options posteriorOptions = Options.none();
  private Variant variant = new Elbo();
  private int[] hidden = {400};
  private int[] decoderHidden;
  private int latent = 20;
  private Activation activation = Activation.RELU;
  private Initializer initializer = Initializer.LECUN_UNIFORM;
  private long seed = 1;
  private DType dtype = DType.FLOAT32;
  private NetworkProvider network = new MlpNetworkProvider();
  private Options networkOptions = Options.none();
  private Shape dataShape;

  public VaeBuilder(Engine engine) {
    this.engine = engine;
  }

  public VaeBuilder likelihood(Likelihood likelihood) {
    this.likelihood = likelihood;
    return this;
  }

  /**
   * The shape of one example of the data, e.g. (1, 28, 28) for grey pictures: networks that read
   * pictures take it, the decoder's outputs come in it, and generated data are given in it. Rows of
   * the likelihood's dimension m unless set; its values must number m.
   */
  public VaeBuilder dataShape(int... dims) {
    this.dataShape = Shape.of(dims);
    return this;
  }

  /**
   * The posterior family, with its options (see {@link PosteriorProvider}): a diagonal Gaussian
   * unless set; full covariance, or a diagonal Gaussian through planar or inverse autoregressive
   * flows, whose shared weights are trained with the model.
   */
  public VaeBuilder posterior(PosteriorProvider provider, Options options) {
    this.posterior = provider;
    this.posteriorOptions = options;
    return this;
  }

  /**
   * The prior family, with its options (see {@link PriorProvider}): standard normal unless set; a
   * {@link dev.vae.core.prior.TrainablePrior} is trained with the model.
   */
  public VaeBuilder prior(PriorProvider provider, Options options) {
    this.prior = provider;
    this.priorOptions = options;
    return this;
  }

  /**
   * The variant; its prior, if it has one, takes the place of the standard normal (and cannot be
   * combined with another prior). A
   * {@link StructuralVariant} (semi-supervised M2) builds a model of its own and is refused here.
   */
  public VaeBuilder variant(Variant variant) {
    if (variant instanceof StructuralVariant) {
      throw new IllegalArgumentException("variant " + variant.name() + " changes the model's structure and trains its "
          + "own model, not a plain VAE (on the command line: vae semi-supervised)");
    }
    this.variant = variant;
    return this;
  }

  /** The family of encoder and decoder networks, with its options (see {@link NetworkProvider}). */
  public VaeBuilder network(NetworkProvider provider, Options options) {
    this.network = provider;
    this.networkOptions = options;
    return this;
  }

  /** Hidden layer widths of the encoder; the decoder mirrors them. Empty gives a linear VAE. */
  public VaeBuilder hidden(int... widths) {
    checkWidths(widths);
    this.hidden = widths.clone();
    return this;
  }

  private static void checkWidths(int[] widths) {
    for (int w : widths) {
      if (w <= 0) {
        throw new IllegalArgumentException("hidden layer widths must be positive, got " + Arrays.toString(widths));
      }
    }
  }

  /** Hidden widths of the decoder's dense layers, from the latent side; null (the default) mirrors the encoder's. */
  public VaeBuilder decoderHidden(int... widths) {
    if (widths != null) {
      checkWidths(widths);
    }
    this.decoderHidden = widths == null ? null : widths.clone();
    return this;
  }

  public VaeBuilder latent(int dimension) {
    if (dimension <= 0) {
      throw new IllegalArgumentException("latent dimension must be positive, got " + dimension);
    }
    this.latent = dimension;
    return this;
  }

  public VaeBuilder activation(Activation activation) {
    this.activation = activation;
    return this;
  }

  public VaeBuilder initializer(Initializer initializer) {
    this.initializer = initializer;
    return this;
  }

  public VaeBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  public VaeBuilder dtype(DType dtype) {
    this.dtype = dtype;
    return this;
  }

  public Vae build() {
    if (likelihood == null) {
      throw new IllegalStateException("a VAE needs a likelihood: call likelihood(...) first");
    }
    int m = likelihood.dimension();
    Shape shape = dataShape == null ? Shape.of(m) : dataShape;
    if (shape.size() != m) {
      throw new IllegalArgumentException("data shape " + shape + " holds " + shape.size() + " values, but the "
          + likelihood.name() + " likelihood is for " + m);
    }
    Mode mode = new Mode();
    PosteriorFamily family = posterior.build(new PosteriorContext(engine, latent,
        new Rng(seed).fork(POSTERIOR_STREAM), dtype, posteriorOptions));
    List<Parameter> owned = new ArrayList<>(family.parameters());
    Vae[] built = new Vae[1];
    try {
      NetworkProvider.Networks networks = network.build(new NetworkContext(engine, shape, latent,
          family.encoderOutputs(), m * likelihood.outputsPerDimension(), hidden, decoderHidden, activation,
          initializer, new Rng(seed), dtype, networkOptions, mode));
      Stream.of(networks.encoder(), networks.decoder()).forEach(n -> {
        owned.addAll(n.parameters());
        owned.addAll(n.buffers());
      });
      Prior chosen = prior.build(new PriorContext(engine, latent, shape, x -> {
        if (built[0] == null) {
          throw new IllegalStateException("prior " + prior.name() + ": the model's posterior can be used once the"
              + " model is built, not while the prior is");
        }
        return built[0].encode(x).base();
      }, new Rng(seed).fork(PRIOR_STREAM), dtype, priorOptions));
      if (chosen instanceof TrainablePrior trainable) {
        owned.addAll(trainable.parameters());
      }
      if (variant.needsStandardNormalPrior() && !(chosen instanceof StandardNormalPrior)) {
        throw new IllegalArgumentException("variant " + variant.name() + " commits its rate against the "
            + StandardNormalPrior.NAME + " prior; it cannot be combined with the prior " + chosen.name());
      }
      if (variant.prior().isPresent() && !(chosen instanceof StandardNormalPrior)) {
        throw new IllegalArgumentException("variant " + variant.name() + " brings its own prior ("
            + variant.prior().get().name() + "); it cannot be combined with the prior " + chosen.name());
      }
      built[0] = new Vae(engine, networks.encoder(), networks.decoder(), mode, likelihood, chosen, variant, shape,
          family, latent, dtype);
      built[0].check();
    } catch (RuntimeException e) {
      if (built[0] != null) {
        built[0].close();
      } else {
        owned.forEach(Parameter::close);
      }
      throw e;
    }
    return built[0];
  }
}
