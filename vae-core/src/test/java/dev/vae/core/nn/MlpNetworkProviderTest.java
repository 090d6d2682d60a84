package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "mlp" networks: the decoder mirrors the encoder unless given widths of its own, which a checkpoint keeps. */
class MlpNetworkProviderTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  private List<Shape> weights(int[] hidden, int[] decoderHidden) {
    NetworkProvider.Networks nets = new MlpNetworkProvider().build(new NetworkContext(engine, Shape.of(10), 2, 4,
        20, hidden, decoderHidden, Activation.RELU, Initializer.LECUN_UNIFORM, new Rng(1), DType.FLOAT64, Options.none(),
        new Mode()));
    return java.util.stream.Stream.of(nets.encoder(), nets.decoder()).flatMap(n -> n.parameters().stream())
        .filter(p -> p.name().endsWith(".weight")).map(Parameter::shape).toList();
  }

  @Test
  void theDecoderMirrorsTheEncoderUnlessGivenWidthsOfItsOwn() {
    assertThat(weights(new int[] {8, 6}, null)).containsExactly(Shape.of(10, 8), Shape.of(8, 6), Shape.of(6, 4),
        Shape.of(2, 6), Shape.of(6, 8), Shape.of(8, 20));
    assertThat(weights(new int[] {8, 6}, new int[] {16, 32, 12})).containsExactly(Shape.of(10, 8), Shape.of(8, 6),
        Shape.of(6, 4), Shape.of(2, 16), Shape.of(16, 32), Shape.of(32, 12), Shape.of(12, 20));
  }

  @Test
  void decoderWidthsTravelWithTheModelsDescription() {
    ModelSpec own = new ModelSpec(10, new int[] {8}, 2, Activation.RELU, "gaussian", Map.of(), "elbo", Map.of(),
        DType.FLOAT32, 1, "mlp", Map.of(), new int[] {16, 32}, null,
        "standard-normal", Map.of(), "diagonal-gaussian", Map.of());
    assertThat(ModelSpec.fromMap(own.toMap()).decoderHidden()).containsExactly(16, 32);
    ModelSpec mirrored = new ModelSpec(10, new int[] {8}, 2, Activation.RELU, "gaussian", Map.of(), DType.FLOAT32, 1);
    assertThat(mirrored.toMap()).doesNotContainKey("model.decoder-hidden");
    assertThat(ModelSpec.fromMap(mirrored.toMap()).decoderHidden()).isNull();
  }
}
