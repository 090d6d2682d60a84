package dev.vae.core.nn;

import com.google.auto.service.AutoService;

/**
 * Registers "mlp": dense encoder m → hidden… → the posterior's numbers (2d for a diagonal Gaussian)
 * and a decoder d → decoder hidden… → m · k (the encoder's widths reversed unless set), one
 * activation between layers. It takes no options.
 */
@AutoService(NetworkProvider.class)
public final class MlpNetworkProvider implements NetworkProvider {
  public static final String NAME = "mlp";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "multilayer perceptrons; the decoder mirrors the encoder's hidden widths unless --decoder-hidden"
        + " gives its own";
  }

  @Override
  public Networks build(NetworkContext c) {
    c.options().requireAllUsed("network " + NAME);
    return new Networks(dense(c, "encoder", c.dataDimension(), c.hidden(), c.encoderOutputs()),
        dense(c, "decoder", c.latent(), c.decoderHidden(), c.decoderOutputs()));
  }

  /** An MLP from {@code in} through the hidden widths to {@code out}. */
  static Mlp dense(NetworkContext c, String name, int in, int[] hidden, int out) {
    return Mlp.builder(c.engine()).name(name).sizes(in, hidden, out).activation(c.activation())
        .initializer(c.initializer()).rng(c.rng()).dtype(c.dtype()).build();
  }
}
