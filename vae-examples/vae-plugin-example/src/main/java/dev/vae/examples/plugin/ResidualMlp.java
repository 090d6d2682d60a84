package dev.vae.examples.plugin;

import com.google.auto.service.AutoService;
import dev.vae.core.nn.Dense;
import dev.vae.core.nn.NetworkContext;
import dev.vae.core.nn.NetworkProvider;
import dev.vae.core.nn.Residual;
import dev.vae.core.nn.Sequential;

/**
 * A network family from a jar of its own, found by name ({@code --network residual-mlp}): in both
 * encoder and decoder, one dense layer to the first hidden width, a residual block (a dense layer
 * and the activation, added to its input), and a dense layer out. Unlike a likelihood, a network
 * compiles against vae-core, which holds layers and parameters.
 */
@AutoService(NetworkProvider.class)
public final class ResidualMlp implements NetworkProvider {
  @Override
  public String name() {
    return "residual-mlp";
  }

  @Override
  public String description() {
    return "a dense layer, a residual block, a dense layer out (width: the first of --hidden)";
  }

  @Override
  public Networks build(NetworkContext c) {
    c.options().requireAllUsed("network residual-mlp");
    if (c.hidden().length == 0) {
      throw new IllegalArgumentException("network residual-mlp: its width is the first of --hidden, and none was given");
    }
    return new Networks(net(c, "encoder", c.dataDimension(), c.encoderOutputs()),
        net(c, "decoder", c.latent(), c.decoderOutputs()));
  }

  private static Sequential net(NetworkContext c, String name, int in, int out) {
    int width = c.hidden()[0];
    Sequential block = Sequential.builder()
        .layer(name + ".block.dense", new Dense(name + ".block.dense", c.engine(), width, width, c.initializer(),
            c.rng(), c.dtype()))
        .stage(name + ".block.activation", c.activation()::apply)
        .build();
    return Sequential.builder()
        .layer(name + ".in", new Dense(name + ".in", c.engine(), in, width, c.initializer(), c.rng(), c.dtype()))
        .stage(name + ".in.activation", c.activation()::apply)
        .layer(name + ".block", new Residual(name + ".block", block))
        .layer(name + ".out", new Dense(name + ".out", c.engine(), width, out, c.initializer(), c.rng(), c.dtype()))
        .build();
  }
}
