package dev.vae.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.Philox;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.optim.Adam;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "conv" networks: PyTorch's reference ConvVAE layer for layer, their shapes, their errors, and learning. */
class ConvNetworkProviderTest {
  private final Engine engine = new Engine(new ReferenceBackend());
  private final NetworkProvider conv = new ConvNetworkProvider();

  private NetworkProvider.Networks build(int m, int latent, int outputs, int[] hidden, String options) {
    return conv.build(new NetworkContext(engine, Shape.of(m), latent, 2 * latent, outputs, hidden, null, Activation.RELU,
        Initializer.LECUN_UNIFORM, new Rng(3), DType.FLOAT64, Options.parse(options), new Mode()));
  }

  @Test
  void theDefaultsWithOneHiddenLayerOf256AreTheReferenceConvVae() {
    NetworkProvider.Networks nets = build(784, 20, 784, new int[] {256}, "");
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (Network net : List.of(nets.encoder(), nets.decoder())) {
      net.parameters().forEach(p -> shapes.put(p.name(), p.shape()));
    }
    // torch: enc.0 [32,1,4,4], enc.2 [64,32,4,4], enc.5 [256,3136], fc_mu and fc_logvar [20,256] each,
    // dec_fc.0 [256,20], dec_fc.2 [3136,256], dec_conv.0 [64,32,4,4], dec_conv.2 [32,1,4,4]; dense
    // weights here are [in, out], and the two heads are one layer of 40 outputs.
    assertThat(shapes).containsExactly(
        Map.entry("encoder.conv0.weight", Shape.of(32, 1, 4, 4)), Map.entry("encoder.conv0.bias", Shape.of(32)),
        Map.entry("encoder.conv1.weight", Shape.of(64, 32, 4, 4)), Map.entry("encoder.conv1.bias", Shape.of(64)),
        Map.entry("encoder.dense.0.weight", Shape.of(3136, 256)), Map.entry("encoder.dense.0.bias", Shape.of(256)),
        Map.entry("encoder.dense.1.weight", Shape.of(256, 40)), Map.entry("encoder.dense.1.bias", Shape.of(40)),
        Map.entry("decoder.dense.0.weight", Shape.of(20, 256)), Map.entry("decoder.dense.0.bias", Shape.of(256)),
        Map.entry("decoder.dense.1.weight", Shape.of(256, 3136)), Map.entry("decoder.dense.1.bias", Shape.of(3136)),
        Map.entry("decoder.deconv1.weight", Shape.of(64, 32, 4, 4)), Map.entry("decoder.deconv1.bias", Shape.of(32)),
        Map.entry("decoder.deconv0.weight", Shape.of(32, 1, 4, 4)), Map.entry("decoder.deconv0.bias", Shape.of(1)));
    assertThat(shapes.values().stream().mapToLong(Shape::size).sum()).as("PyTorch's ConvVAE(20) has 1,691,369")
        .isEqualTo(1_691_369L);
  }

  @Test
  void encoderAndDecoderMapFlatImagesToTheShapesTheModelNeeds() {
    NetworkProvider.Networks nets = build(3 * 8 * 12, 5, 2 * 3 * 8 * 12, new int[] {}, "image=3x8x12,base-channels=4");
    try (MemoryScope scope = engine.scope()) {
      Tensor x = engine.full(Shape.of(2, 288), DType.FLOAT64, 0.5);
      assertThat(nets.encoder().forward(x).shape()).isEqualTo(Shape.of(2, 10));
      Tensor z = engine.full(Shape.of(2, 5), DType.FLOAT64, 0.1);
      assertThat(nets.decoder().forward(z).shape()).isEqualTo(Shape.of(2, 576));
      List<String> stages = new java.util.ArrayList<>();
      nets.encoder().forward(x, (stage, out) -> stages.add(stage + " " + out.shape()));
      assertThat(stages).startsWith("encoder.image [2, 3, 8, 12]", "encoder.conv0 [2, 4, 4, 6]")
          .contains("encoder.conv1 [2, 8, 2, 3]");
    }
  }

  @Test
  void residualBlocksNormalisationAndDropoutJoinTheNetworksWhereAsked() {
    NetworkProvider.Networks nets = build(64, 2, 64, new int[] {}, "image=1x8x8,base-channels=2,depth=2,"
        + "residual-blocks=1,norm=batch,dropout=0.25");
    List<String> names = nets.encoder().parameters().stream().map(Parameter::name).toList();
    assertThat(names).containsSubsequence("encoder.conv0.weight", "encoder.conv0.norm.weight",
        "encoder.conv1.weight", "encoder.conv1.norm.weight", "encoder.block0.conv0.weight", "encoder.block0.conv1.bias",
        "encoder.dense.0.weight");
    assertThat(nets.decoder().buffers()).extracting(Parameter::name)
        .containsExactly("decoder.deconv1.norm.running_mean", "decoder.deconv1.norm.running_var");
    List<String> stages = new java.util.ArrayList<>();
    try (MemoryScope scope = engine.scope()) {
      Tensor x = engine.full(Shape.of(3, 64), DType.FLOAT64, 0.5);
      nets.encoder().forward(x, (stage, out) -> stages.add(stage));
      assertThat(nets.decoder().forward(engine.full(Shape.of(3, 2), DType.FLOAT64, 0.1)).shape())
          .isEqualTo(Shape.of(3, 64));
    }
    assertThat(stages).containsSubsequence("encoder.conv0", "encoder.conv0.norm", "encoder.conv0.activation",
        "encoder.conv0.dropout", "encoder.block0", "encoder.flatten");
    assertThatIllegalArgumentException().isThrownBy(() -> build(64, 2, 64, new int[] {}, "norm=instance"))
        .withMessageContainingAll("norm=instance", "none, batch, layer, group");
    NetworkProvider.Networks grouped = build(64, 2, 64, new int[] {}, "image=1x8x8,base-channels=4,norm=group,"
        + "groups=2");
    assertThat(grouped.encoder().parameters()).extracting(Parameter::name).contains("encoder.conv0.norm.weight");
    assertThat(grouped.decoder().buffers()).as("group normalisation keeps no running statistics").isEmpty();
    assertThatIllegalArgumentException().isThrownBy(() -> build(64, 2, 64, new int[] {}, "image=1x8x8,"
        + "base-channels=4,norm=group")).withMessageContainingAll("encoder.conv0.norm", "8 groups", "4 channels");
    assertThatIllegalArgumentException().isThrownBy(() -> build(64, 2, 64, new int[] {}, "image=1x8x8,groups=2"))
        .withMessageContaining("groups");
  }

  @Test
  void optionsThatCannotWorkAreRefusedNamingWhatWasExpected() {
    assertThatIllegalArgumentException().isThrownBy(() -> build(300, 2, 300, new int[] {}, ""))
        .withMessageContainingAll("300", "image=CxHxW");
    assertThatIllegalArgumentException().isThrownBy(() -> build(784, 2, 784, new int[] {}, "image=3x28x28"))
        .withMessageContainingAll("image=3x28x28", "784");
    assertThatIllegalArgumentException().isThrownBy(() -> build(784, 2, 784, new int[] {}, "depth=3"))
        .withMessageContainingAll("28x28", "depth=3", "8");
    assertThatIllegalArgumentException().isThrownBy(() -> build(784, 2, 784, new int[] {}, "width=3"))
        .withMessageContaining("width");
    Conv2d layer = new Conv2d("encoder.conv0", engine, 1, 4, dev.vae.api.ConvGeometry.square(4, 2, 1), new Rng(1),
        DType.FLOAT64);
    try (MemoryScope scope = engine.scope()) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> layer.forward(engine.full(Shape.of(2, 3, 8, 8), DType.FLOAT64, 0)))
          .withMessageContainingAll("encoder.conv0", "[n, 1, h, w]", "[2, 3, 8, 8]");
    }
  }

  @Test
  void aConvolutionalAutoencoderLearnsAndLeavesNoArraysBehind() {
    NetworkProvider.Networks nets = build(64, 3, 64, new int[] {16}, "image=1x8x8,base-channels=4");
    List<Parameter> parameters = new java.util.ArrayList<>(nets.encoder().parameters());
    parameters.addAll(nets.decoder().parameters());
    double[] images = new double[16 * 64];
    Philox.uniformDoubles(5, 0, images);
    try (Adam adam = Adam.adam(engine, 0.01)) {
      double first = step(nets, parameters, adam, images);
      long baseline = engine.backend().liveArrays();
      double last = first;
      for (int i = 0; i < 60; i++) {
        last = step(nets, parameters, adam, images);
      }
      assertThat(engine.backend().liveArrays()).as("arrays alive after 60 more steps").isEqualTo(baseline);
      assertThat(last).as("reconstruction error after 60 steps").isLessThan(first * 0.5);
    }
  }

  private double step(NetworkProvider.Networks nets, List<Parameter> parameters, Adam adam, double[] images) {
    try (MemoryScope scope = engine.scope()) {
      Tensor x = engine.fromHost(images, Shape.of(16, 64), DType.FLOAT64);
      Tensor code = nets.encoder().forward(x).slice(1, 0, 3);
      Tensor loss = nets.decoder().forward(code).sub(x).square().mean();
      adam.step(parameters, engine.gradients(loss, parameters.stream().map(Parameter::tensor).toList()));
      return loss.item();
    }
  }
}
