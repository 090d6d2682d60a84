package dev.vae.core.nn;

/**
 * The service a network family registers for {@link java.util.ServiceLoader} (with
 * {@code @AutoService(NetworkProvider.class)}): a name, a one-line description and the encoder and
 * decoder it builds for a model. A jar holding one on the classpath makes it selectable by name.
 */
public interface NetworkProvider {
  /** Stable name, lower case, e.g. "conv". */
  String name();

  /** One line for listings. */
  String description();

  /**
   * The encoder, from data as rows [n, m] (pictures flattened row-major; their shape is the
   * context's {@link NetworkContext#dataShape()}) to [n, {@link NetworkContext#encoderOutputs()}]
   * (the numbers the posterior is made of: for a diagonal Gaussian the means, then the
   * log-variances), and the decoder, from latent codes [n, d] to the likelihood's parameters as rows
   * [n, m · k] or in the data's shape [n, k · c, h, w]. Options it does not know must fail
   * ({@link dev.vae.api.Options#requireAllUsed}).
   */
  Networks build(NetworkContext context);

  /** An encoder and its decoder. */
  record Networks(Network encoder, Network decoder) {}
}
