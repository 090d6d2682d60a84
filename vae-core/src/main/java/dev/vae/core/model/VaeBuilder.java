package dev.vae.core.model;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.model.Prior;
import dev.vae.api.variant.StructuralVariant;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.Initializer;
import dev.vae.core.nn.Mlp;
import dev.vae.core.variant.Elbo;
import java.util.Arrays;

/**
 * Plain-Java construction of a {@link Vae}: hidden layer sizes, latent dimension, activation,
 * likelihood, prior, variant (the plain ELBO unless set), initialiser, seed and dtype. The encoder is m → hidden… → 2d and the decoder
 * d → reversed hidden… → m · (likelihood outputs per dimension).
 */
public final class VaeBuilder {
  private final Engine engine;
  private Likelihood likelihood;
  private Prior prior = new StandardNormalPrior();
  private Variant variant = new Elbo();
  private int[] hidden = {400};
  private int latent = 20;
  private Activation activation = Activation.RELU;
  private Initializer initializer = Initializer.LECUN_UNIFORM;
  private long seed = 1;
  private DType dtype = DType.FLOAT32;

  public VaeBuilder(Engine engine) {
    this.engine = engine;
  }

  public VaeBuilder likelihood(Likelihood likelihood) {
    this.likelihood = likelihood;
    return this;
  }

  public VaeBuilder prior(Prior prior) {
    this.prior = prior;
    return this;
  }

  /**
   * The variant; its prior, if it has one, takes the place of {@link #prior}'s. A
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

  /** Hidden layer widths of the encoder; the decoder mirrors them. Empty gives a linear VAE. */
  public VaeBuilder hidden(int... widths) {
    for (int w : widths) {
      if (w <= 0) {
        throw new IllegalArgumentException("hidden layer widths must be positive, got " + Arrays.toString(widths));
      }
    }
    this.hidden = widths.clone();
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
    Rng rng = new Rng(seed);
    int[] encoderSizes = new int[hidden.length + 2];
    encoderSizes[0] = m;
    System.arraycopy(hidden, 0, encoderSizes, 1, hidden.length);
    encoderSizes[hidden.length + 1] = 2 * latent;
    int[] decoderSizes = new int[hidden.length + 2];
    decoderSizes[0] = latent;
    for (int i = 0; i < hidden.length; i++) {
      decoderSizes[i + 1] = hidden[hidden.length - 1 - i];
    }
    decoderSizes[hidden.length + 1] = m * likelihood.outputsPerDimension();
    Mlp encoder = Mlp.builder(engine).name("encoder").sizes(encoderSizes).activation(activation)
        .initializer(initializer).rng(rng).dtype(dtype).build();
    Mlp decoder = Mlp.builder(engine).name("decoder").sizes(decoderSizes).activation(activation)
        .initializer(initializer).rng(rng).dtype(dtype).build();
    return new Vae(engine, encoder, decoder, likelihood, prior, variant, latent, dtype);
  }
}
