package dev.vae.core.model;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Shape;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.MlpNetworkProvider;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.plugin.NetworkRegistry;
import dev.vae.core.plugin.PosteriorRegistry;
import dev.vae.core.plugin.PriorRegistry;
import dev.vae.core.plugin.VariantRegistry;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import dev.vae.core.posterior.PlanarFlows;
import dev.vae.core.variant.Elbo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything needed to rebuild a {@link Vae} with the same shapes: data dimension and the shape of
 * one example (null for rows of that many values), latent dimension, posterior and prior families
 * with their options,
 * hidden widths (the decoder's, or null when they mirror the encoder's), activation, likelihood,
 * variant and network family by name with their options, dtype and initialisation seed. Saved in
 * checkpoints as flat string pairs.
 */
public record ModelSpec(int dataDimension, int[] hidden, int latent, Activation activation, String likelihood,
    Map<String, String> likelihoodOptions, String variant, Map<String, String> variantOptions, DType dtype,
    long seed, String network, Map<String, String> networkOptions, int[] decoderHidden, int[] dataShape, String prior,
    Map<String, String> priorOptions, String posterior, Map<String, String> posteriorOptions) {

  public ModelSpec {
    if (dataShape != null && Shape.of(dataShape).size() != dataDimension) {
      throw new IllegalArgumentException("data shape " + Shape.of(dataShape) + " holds " + Shape.of(dataShape).size()
          + " values, but the data dimension is " + dataDimension);
    }
    dataShape = dataShape == null ? null : dataShape.clone();
    hidden = hidden.clone();
    decoderHidden = decoderHidden == null ? null : decoderHidden.clone();
    likelihoodOptions = Map.copyOf(likelihoodOptions);
    variantOptions = Map.copyOf(variantOptions);
    networkOptions = Map.copyOf(networkOptions);
    priorOptions = Map.copyOf(priorOptions);
    posteriorOptions = Map.copyOf(posteriorOptions);
  }

  /** A model with MLP encoder and decoder. */
  public ModelSpec(int dataDimension, int[] hidden, int latent, Activation activation, String likelihood,
      Map<String, String> likelihoodOptions, String variant, Map<String, String> variantOptions, DType dtype,
      long seed) {
    this(dataDimension, hidden, latent, activation, likelihood, likelihoodOptions, variant, variantOptions, dtype, seed,
        MlpNetworkProvider.NAME, Map.of(), null, null, StandardNormalPrior.NAME, Map.of(),
        DiagonalGaussianPosterior.NAME, Map.of());
  }

  /** A plain VAE (the "elbo" variant). */
  public ModelSpec(int dataDimension, int[] hidden, int latent, Activation activation, String likelihood,
      Map<String, String> likelihoodOptions, DType dtype, long seed) {
    this(dataDimension, hidden, latent, activation, likelihood, likelihoodOptions, Elbo.NAME, Map.of(), dtype, seed);
  }

  /**
   * The model this spec describes, with freshly initialised parameters, networks and priors as the
   * classpath has them.
   */
  public Vae build(Engine engine, LikelihoodRegistry likelihoods, VariantRegistry variants) {
    return build(engine, likelihoods, variants, NetworkRegistry.discover(), PriorRegistry.discover(),
        PosteriorRegistry.discover());
  }

  /** The shape of one example, a copy: the given one, or [dataDimension] for rows. */
  @Override
  public int[] dataShape() {
    return dataShape == null ? new int[] {dataDimension} : dataShape.clone();
  }

  /** The model this spec describes, with freshly initialised parameters. */
  public Vae build(Engine engine, LikelihoodRegistry likelihoods, VariantRegistry variants, NetworkRegistry networks,
      PriorRegistry priors, PosteriorRegistry posteriors) {
    return new VaeBuilder(engine).dataShape(dataShape())
        .likelihood(likelihoods.create(likelihood, dataDimension, new Options(likelihoodOptions)))
        .variant(variants.create(variant, new Options(variantOptions)))
        .network(networks.named(network), new Options(networkOptions))
        .prior(priors.named(prior), new Options(priorOptions))
        .posterior(posteriors.named(posterior), new Options(posteriorOptions))
        .hidden(hidden).decoderHidden(decoderHidden).latent(latent).activation(activation).dtype(dtype).seed(seed)
        .build();
  }

  /** Flat key/value form for checkpoints. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model.data-dimension", Integer.toString(dataDimension));
    if (dataShape != null) {
      m.put("model.data-shape", Arrays.stream(dataShape).mapToObj(Integer::toString).collect(Collectors.joining("x")));
    }
    m.put("model.hidden", widths(hidden));
    if (decoderHidden != null) {
      m.put("model.decoder-hidden", widths(decoderHidden));
    }
    m.put("model.latent", Integer.toString(latent));
    m.put("model.activation", activation.name());
    m.put("model.likelihood", likelihood);
    m.put("model.likelihood-options", joined(likelihoodOptions));
    m.put("model.variant", variant);
    m.put("model.variant-options", joined(variantOptions));
    m.put("model.dtype", dtype.name());
    m.put("model.seed", Long.toString(seed));
    m.put("model.network", network);
    m.put("model.network-options", joined(networkOptions));
    m.put("model.prior", prior);
    m.put("model.prior-options", joined(priorOptions));
    m.put("model.posterior", posterior);
    m.put("model.posterior-options", joined(posteriorOptions));
    return m;
  }

  private static String widths(int[] widths) {
    return Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining(","));
  }

  private static int[] widths(String text) {
    return text.isBlank() ? new int[0] : Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  private static String joined(Map<String, String> options) {
    return options.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /**
   * Reads the form {@link #toMap()} writes, naming any missing or malformed key. A description
   * without a variant (written before variants existed) is a plain VAE, one without a network an
   * MLP with the standard normal prior, one without decoder widths mirrors the encoder's, one
   * without a data shape is for rows, and one without a posterior has a diagonal Gaussian one (with
   * {@code model.flow-steps} K, as written before posteriors were plugins: K planar flows).
   */
  public static ModelSpec fromMap(Map<String, String> m) {
    int[] hidden = widths(require(m, "model.hidden"));
    String decoder = m.get("model.decoder-hidden");
    String shape = m.get("model.data-shape");
    int flowSteps = Integer.parseInt(m.getOrDefault("model.flow-steps", "0"));
    return new ModelSpec(Integer.parseInt(require(m, "model.data-dimension")), hidden,
        Integer.parseInt(require(m, "model.latent")), Activation.named(require(m, "model.activation")),
        require(m, "model.likelihood"), Options.parse(m.getOrDefault("model.likelihood-options", "")).asMap(),
        m.getOrDefault("model.variant", Elbo.NAME), Options.parse(m.getOrDefault("model.variant-options", "")).asMap(),
        DType.valueOf(require(m, "model.dtype")), Long.parseLong(require(m, "model.seed")),
        m.getOrDefault("model.network", MlpNetworkProvider.NAME),
        Options.parse(m.getOrDefault("model.network-options", "")).asMap(), decoder == null ? null : widths(decoder),
        shape == null ? null : dataShape(shape),
        m.getOrDefault("model.prior", StandardNormalPrior.NAME),
        Options.parse(m.getOrDefault("model.prior-options", "")).asMap(),
        m.getOrDefault("model.posterior", flowSteps == 0 ? DiagonalGaussianPosterior.NAME : PlanarFlows.NAME),
        m.containsKey("model.posterior") || flowSteps == 0
            ? Options.parse(m.getOrDefault("model.posterior-options", "")).asMap()
            : Map.of("steps", Integer.toString(flowSteps)));
  }

  private static int[] dataShape(String text) {
    try {
      return Arrays.stream(text.split("x")).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("model description: model.data-shape=" + text + " is not CxHxW (whole"
          + " numbers joined by x)", e);
    }
  }

  private static String require(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("model description lacks '" + key + "'; it has " + m.keySet());
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec s && toMap().equals(s.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return toMap().toString();
  }
}
