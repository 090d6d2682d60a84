package dev.vae.core.semisupervised;

import com.google.auto.service.AutoService;
import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.variant.NamedVariantProvider;
import dev.vae.api.variant.StructuralVariant;
import dev.vae.api.variant.VariantProvider;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Activation;
import dev.vae.core.plugin.LikelihoodRegistry;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The semi-supervised variants of Kingma et al. (2014), registered as {@value #M2} (M2 on the data)
 * and {@value #M1_M2} (M2 on the latent codes of a trained VAE, M1). They change the model's
 * structure, so they build their own {@link SemiSupervisedModel}, which the one
 * {@link dev.vae.core.train.Trainer} trains as a {@link SemiSupervisedTraining} on paired batches.
 *
 * <p>Options (all optional): {@code alpha} (default 1, see {@link SemiSupervisedConfig}),
 * {@code labelled-weight} (the weight of the labelled bound: a number, or by default
 * {@value SemiSupervisedConfig#BALANCED}, N_l/N_u), {@code beta} (the weight of z's KL, default 1),
 * {@code hidden} (500), {@code classifier-hidden} (500), {@code latent} (50),
 * {@code activation} (relu; the paper's softplus goes through log1p, which the CPU backend recomputes
 * on the host for accuracy: an M1+M2 epoch took 104 s with it and 64 s with relu), {@code likelihood} (bernoulli for m2; gaussian with
 * {@code likelihood.sigma=learned} for m1+m2), {@code likelihood.<key>} passed to the likelihood,
 * and for m1+m2 {@code codes} (sample: z₁ ~ q(z₁ | x) drawn for every batch, as in the paper; or
 * mean).
 */
public final class SemiSupervised implements StructuralVariant {
  /** M2 on the data. */
  public static final String M2 = "m2";
  /** M2 on the latent codes of a trained VAE. */
  public static final String M1_M2 = "m1+m2";

  private final String name;
  private final SemiSupervisedConfig config;

  /** A variant called {@code name} with this configuration. */
  public SemiSupervised(String name, SemiSupervisedConfig config) {
    this.name = name;
    this.config = config;
  }

  @Override
  public String name() {
    return name;
  }

  /** Whether M2 models the codes of a trained VAE (M1+M2) rather than the data. */
  public boolean stacked() {
    return name.equals(M1_M2);
  }

  public SemiSupervisedConfig config() {
    return config;
  }

  /**
   * A freshly initialised M2 over inputs of dimension {@code inputDimension} (the data's, or M1's
   * latent dimension) and {@code classes} classes.
   */
  public SemiSupervisedModel model(Engine engine, LikelihoodRegistry likelihoods, int inputDimension, int classes,
      DType dtype, long seed) {
    Options likelihoodOptions = new Options(config.likelihoodOptions());
    var likelihood = likelihoods.create(config.likelihood(), inputDimension, likelihoodOptions);
    likelihoodOptions.requireAllUsed("likelihood " + config.likelihood() + " of " + name);
    return new SemiSupervisedModel(engine, likelihood, classes, config.hidden(), config.classifierHidden(),
        config.latent(), config.activation(), dtype, seed, config.beta());
  }

  static SemiSupervisedConfig defaults(boolean stacked) {
    return stacked
        ? new SemiSupervisedConfig(500, 500, 50, Activation.RELU, "gaussian", Map.of("sigma", "learned"), 1.0,
            OptionalDouble.empty(), 1.0, true)
        : new SemiSupervisedConfig(500, 500, 50, Activation.RELU, "bernoulli", Map.of(), 1.0, OptionalDouble.empty(),
            1.0, true);
  }

  /** Registers M2 as {@value SemiSupervised#M2}. */
  @AutoService(VariantProvider.class)
  public static final class M2Provider extends NamedVariantProvider {
    public M2Provider() {
      super(M2, "semi-supervised M2 (Kingma et al. 2014): classifier q(y|x), q(z|x,y), decoder p(x|y,z); "
          + "vae semi-supervised trains it", options -> new SemiSupervised(M2,
              SemiSupervisedConfig.read(options, defaults(false), false)));
    }
  }

  /** Registers M1+M2 as {@value SemiSupervised#M1_M2}. */
  @AutoService(VariantProvider.class)
  public static final class M1M2Provider extends NamedVariantProvider {
    public M1M2Provider() {
      super(M1_M2, "semi-supervised M1+M2 (Kingma et al. 2014): M2 on the latent codes of a trained VAE; "
          + "vae semi-supervised trains it", options -> new SemiSupervised(M1_M2,
              SemiSupervisedConfig.read(options, defaults(true), true)));
    }
  }
}
