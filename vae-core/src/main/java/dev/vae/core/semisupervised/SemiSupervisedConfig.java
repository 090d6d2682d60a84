package dev.vae.core.semisupervised;

import dev.vae.api.Options;
import dev.vae.core.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The shape and objective of a semi-supervised model: hidden widths (one hidden layer per network,
 * as in the paper's M2), latent dimension, activation, the likelihood p(x | y, z) by name with its
 * options, the weight α of the classification loss, and, for M1+M2, whether M2 trains on samples
 * of M1's posterior or on its means.
 *
 * <p>α weighs the labelled batch's mean −log q(y | x) against the batch means of the labelled and
 * unlabelled bounds. Kingma et al. (2014) weigh the classification loss by 0.1·N in a sum over the
 * whole data set, of which the labelled examples are a rare part of each mini-batch; every step here
 * takes a whole labelled batch beside an unlabelled one, which gives each labelled example N/N_l
 * times the paper's share, so the paper's α corresponds to about 0.1 here. The default, 1, weighs
 * the few labels more (see BENCHMARKS.md for what it reached). For the same reason the labelled
 * bound −L(x, y) would count N_u/N_l times more than in the paper; {@code labelled-weight} scales
 * it, by default ({@value #BALANCED}) by N_l/N_u, which restores the paper's balance of the
 * generative terms (M1+M2's test error after 60 epochs: 5.11% against 5.65% with weight 1, three
 * seeds). An empty {@link #labelledWeight} stands for that default, resolved by
 * {@link #labelledWeight(int, int)} once the split is known.
 *
 * <p>{@code beta} weighs z's KL in every bound (default 1, the paper's model); β &gt; 1 makes
 * information cost more in z than in y, which moves the class into y (see
 * {@link SemiSupervisedModel} and BENCHMARKS.md for what it did to M2 on MNIST).
 */
public record SemiSupervisedConfig(int hidden, int classifierHidden, int latent, Activation activation,
    String likelihood, Map<String, String> likelihoodOptions, double alpha, OptionalDouble labelledWeight,
    double beta, boolean sampleCodes) {
  /** Prefix of the variant options passed on to the likelihood, e.g. {@code likelihood.sigma=learned}. */
  public static final String LIKELIHOOD_PREFIX = "likelihood.";

  /** The value of {@code labelled-weight} that weighs the labelled bound by N_l/N_u. */
  public static final String BALANCED = "balanced";

  public SemiSupervisedConfig {
    if (hidden <= 0 || classifierHidden <= 0 || latent <= 0) {
      throw new IllegalArgumentException("hidden, classifier-hidden and latent must be positive, got " + hidden
          + ", " + classifierHidden + " and " + latent);
    }
    requireWeight("alpha, the weight of the classification loss,", alpha);
    if (labelledWeight.isPresent()) {
      requireWeight("labelled-weight, the weight of the labelled bound,", labelledWeight.getAsDouble());
    }
    requireWeight("beta, the weight of z's KL,", beta);
    likelihoodOptions = Map.copyOf(likelihoodOptions);
  }

  /**
   * The weight of the labelled bound for a split of {@code labelled} labelled and {@code unlabelled}
   * unlabelled examples: the configured number, or N_l/N_u when {@value #BALANCED}.
   */
  public double labelledWeight(int labelled, int unlabelled) {
    if (labelledWeight.isPresent()) {
      return labelledWeight.getAsDouble();
    }
    if (labelled <= 0 || unlabelled <= 0) {
      throw new IllegalArgumentException("labelled-weight=" + BALANCED + " needs labelled and unlabelled examples, got "
          + labelled + " and " + unlabelled);
    }
    return (double) labelled / unlabelled;
  }

  /** Fails, naming {@code what}, unless {@code weight} is a finite number at least 0. */
  static void requireWeight(String what, double weight) {
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(what + " must be finite and >= 0, got " + weight);
    }
  }

  /**
   * Reads {@code hidden}, {@code classifier-hidden}, {@code latent}, {@code activation},
   * {@code likelihood}, {@code alpha}, {@code labelled-weight} (a number or {@value #BALANCED}), {@code beta},
   * every {@code likelihood.<key>} option and, when
   * {@code stacked} (M1+M2), {@code codes} ({@code sample} or {@code mean}), with the given
   * defaults where absent.
   */
  static SemiSupervisedConfig read(Options options, SemiSupervisedConfig defaults, boolean stacked) {
    Map<String, String> likelihoodOptions = new LinkedHashMap<>();
    boolean ownLikelihood = options.has("likelihood");
    for (String key : options.asMap().keySet()) {
      if (key.startsWith(LIKELIHOOD_PREFIX)) {
        likelihoodOptions.put(key.substring(LIKELIHOOD_PREFIX.length()), options.getString(key, ""));
      }
    }
    String codes = stacked ? options.getString("codes", defaults.sampleCodes ? "sample" : "mean") : "sample";
    if (!codes.equals("sample") && !codes.equals("mean")) {
      throw new IllegalArgumentException("option codes=" + codes + ": expected sample (z1 ~ q(z1|x) for every batch) "
          + "or mean (the posterior mean of z1)");
    }
    return new SemiSupervisedConfig(options.getInt("hidden", defaults.hidden),
        options.getInt("classifier-hidden", defaults.classifierHidden), options.getInt("latent", defaults.latent),
        Activation.named(options.getString("activation", defaults.activation.name())),
        options.getString("likelihood", defaults.likelihood),
        ownLikelihood || !likelihoodOptions.isEmpty() ? likelihoodOptions : defaults.likelihoodOptions,
        options.getDouble("alpha", defaults.alpha), readLabelledWeight(options, defaults.labelledWeight),
        options.getDouble("beta", defaults.beta), codes.equals("sample"));
  }

  /** {@code labelled-weight}: a number, or {@value #BALANCED} (empty). */
  private static OptionalDouble readLabelledWeight(Options options, OptionalDouble defaultWeight) {
    if (!options.has("labelled-weight")) {
      return defaultWeight;
    }
    String value = options.getString("labelled-weight", BALANCED);
    if (value.equals(BALANCED)) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option labelled-weight=" + value + ": expected a number >= 0 or " + BALANCED
          + " (N_l/N_u)", e);
    }
  }
}
