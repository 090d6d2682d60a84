package dev.vae.core.nn;

import com.google.auto.service.AutoService;

/**
 * Registers "mlp": dense encoder m → hidden… → 2d and a decoder d → reversed hidden… → m · k, one
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
    return "multilayer perceptrons; the decoder mirrors the encoder's hidden widths";
  }

  @Override
  public Networks build(NetworkContext c) {
    c.options().requireAllUsed("network " + NAME);
    int[] hidden = c.hidden();
    return new Networks(dense(c, "encoder", c.dataDimension(), hidden, 2 * c.latent(), false),
        dense(c, "decoder", c.latent(), hidden, c.decoderOutputs(), true));
  }

  /** An MLP from {@code in} through the hidden widths (reversed when asked) to {@code out}. */
  static Mlp dense(NetworkContext c, String name, int in, int[] hidden, int out, boolean reversed) {
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = in;
    for (int i = 0; i < hidden.length; i++) {
      sizes[i + 1] = hidden[reversed ? hidden.length - 1 - i : i];
    }
    sizes[hidden.length + 1] = out;
    return Mlp.builder(c.engine()).name(name).sizes(sizes).activation(c.activation()).initializer(c.initializer())
        .rng(c.rng()).dtype(c.dtype()).build();
  }
}
