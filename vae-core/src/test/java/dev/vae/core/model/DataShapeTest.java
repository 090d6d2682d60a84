package dev.vae.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.Support;
import dev.vae.api.model.SamplingMode;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.ConvNetworkProvider;
import dev.vae.core.nn.Initializer;
import dev.vae.core.nn.Mlp;
import dev.vae.core.nn.NetworkContext;
import dev.vae.core.nn.NetworkProvider;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.posterior.Posterior;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pictures keep their shape [n, c, h, w] from the data through the networks to the likelihood and
 * back out of generation; the likelihood's parameter groups stack along the channel axis, and
 * shapes that do not fit are refused naming both and the layer.
 */
class DataShapeTest {
  private final Engine engine = new Engine(new ReferenceBackend());

  /**
   * Two groups of outputs per value, a and b: log p(x) = Σ b·(x − a), so each value's pair of
   * outputs can be told apart in the result.
   */
  static final class Bilinear extends Likelihood {
    Bilinear(int dimension) {
      super(dimension);
    }

    @Override
    public String name() {
      return "bilinear";
    }

    @Override
    public int outputsPerDimension() {
      return 2;
    }

    @Override
    public Support support() {
      return Support.REAL;
    }

    @Override
    protected Tensor logDensity(DecoderOutput params, Tensor x) {
      return x.sub(params.block(0, dimension())).mul(params.block(1, dimension())).sum(false, 1);
    }

    @Override
    public Tensor mean(DecoderOutput params) {
      return params.block(0, dimension());
    }

    @Override
    public Tensor sample(DecoderOutput params, Rng rng) {
      return params.block(0, dimension());
    }
  }

  private Vae conv(int channels, int side) {
    int m = channels * side * side;
    return new VaeBuilder(engine).likelihood(new Bilinear(m)).dataShape(channels, side, side)
        .network(new ConvNetworkProvider(), Options.parse("base-channels=2,depth=1")).hidden(8).latent(3)
        .dtype(DType.FLOAT64).seed(4).build();
  }

  @Test
  void picturesKeepTheirShapeThroughTheConvolutionalModel() {
    Vae vae = conv(2, 4);
    double[] pixels = new double[3 * 32];
    java.util.Arrays.setAll(pixels, i -> Math.cos(i));
    try (MemoryScope scope = engine.scope()) {
      Tensor rows = engine.fromHost(pixels, Shape.of(3, 32), DType.FLOAT64);
      Tensor pictures = engine.fromHost(pixels, Shape.of(3, 2, 4, 4), DType.FLOAT64);
      Posterior q = vae.encode(pictures);
      assertThat(q.pointEstimate().toDoubles()).containsExactly(vae.encode(rows).pointEstimate().toDoubles());

      DecoderOutput out = vae.decode(q.pointEstimate());
      assertThat(out.shape()).as("two groups of two channels").isEqualTo(Shape.of(3, 4, 4, 4));
      assertThat(out.shaped().shape()).isEqualTo(Shape.of(3, 4, 4, 4));
      assertThat(out.raw().shape()).isEqualTo(Shape.of(3, 64));
      assertThat(out.layer()).isEqualTo("decoder.deconv0");
      assertThat(vae.likelihood().logProb(out, pictures).toDoubles())
          .containsExactly(vae.likelihood().logProb(out, rows).toDoubles());
      assertThat(vae.terms(pictures, new Rng(2), 2).reconstruction().toDoubles())
          .containsExactly(vae.terms(rows, new Rng(2), 2).reconstruction().toDoubles());

      Tensor generated = vae.generate(q.pointEstimate(), SamplingMode.MEAN, new Rng(1));
      assertThat(generated.shape()).isEqualTo(Shape.of(3, 2, 4, 4));
      assertThat(generated.toDoubles()).containsExactly(out.shapedBlock(0, 2).toDoubles());
      assertThat(vae.sample(5, SamplingMode.ANCESTRAL, new Rng(1)).shape()).isEqualTo(Shape.of(5, 2, 4, 4));
    }
  }

  @Test
  void theGroupsOfOutputsStackAlongTheChannelAxis() {
    // One example of data shaped [2, 1, 2] (two channels of one row of two pixels); outputs [1, 4, 1, 2]:
    // channels 0-1 are group a, channels 2-3 group b.
    double[] outputs = {1, 2, 3, 4, 10, 20, 30, 40};
    double[] x = {5, 6, 7, 8};
    try (MemoryScope scope = engine.scope()) {
      DecoderOutput out = new DecoderOutput(engine.fromHost(outputs, Shape.of(1, 4, 1, 2), DType.FLOAT64), Map.of(),
          "test", Shape.of(1, 4, 1, 2));
      assertThat(out.block(0, 4).toDoubles()).containsExactly(1, 2, 3, 4);
      assertThat(out.block(1, 4).toDoubles()).containsExactly(10, 20, 30, 40);
      assertThat(out.shapedBlock(1, 2).shape()).isEqualTo(Shape.of(1, 2, 1, 2));
      assertThat(out.shapedBlock(1, 2).toDoubles()).containsExactly(10, 20, 30, 40);
      double expected = (5 - 1) * 10 + (6 - 2) * 20 + (7 - 3) * 30 + (8 - 4) * 40;
      assertThat(new Bilinear(4).logProb(out, engine.fromHost(x, Shape.of(1, 2, 1, 2), DType.FLOAT64)).toDoubles())
          .containsExactly(expected);
      DecoderOutput asRows = new DecoderOutput(engine.fromHost(outputs, Shape.of(1, 8), DType.FLOAT64), Map.of(),
          "test", Shape.of(1, 4, 1, 2));
      assertThat(asRows.shaped().shape()).isEqualTo(Shape.of(1, 4, 1, 2));
      assertThat(new Bilinear(4).logProb(asRows, engine.fromHost(x, Shape.of(1, 4), DType.FLOAT64)).toDoubles())
          .containsExactly(expected);
    }
  }

  @Test
  void dataOfAnotherShapeIsRefusedNamingBothShapesAndTheLayer() {
    try (MemoryScope scope = engine.scope()) {
      DecoderOutput out = new DecoderOutput(engine.full(Shape.of(2, 4, 3, 3), DType.FLOAT64, 0), Map.of(),
          "decoder.deconv0", Shape.of(2, 4, 3, 3));
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new Bilinear(18).logProb(out, engine.full(Shape.of(2, 2, 9, 1), DType.FLOAT64, 0)))
          .withMessageContainingAll("[2, 2, 9, 1]", "[2, 4, 9, 1]", "[2, 4, 3, 3]", "decoder.deconv0");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new Bilinear(9).logProb(out, engine.full(Shape.of(2, 9), DType.FLOAT64, 0)))
          .withMessageContainingAll("[2, 4, 3, 3]", "decoder.deconv0", "[2, 9]", "18");
    }
  }

  @Test
  void aDecoderWhoseOutputDoesNotFitTheDataStopsTheBuildNamingTheLayer() {
    NetworkProvider tooWide = new NetworkProvider() {
      @Override
      public String name() {
        return "too-wide";
      }

      @Override
      public String description() {
        return "a decoder one output too wide";
      }

      @Override
      public Networks build(NetworkContext c) {
        return new Networks(mlp(c, "encoder", c.dataDimension(), 2 * c.latent()),
            mlp(c, "decoder", c.latent(), c.decoderOutputs() + 1));
      }

      private Mlp mlp(NetworkContext c, String name, int in, int out) {
        return Mlp.builder(c.engine()).name(name).sizes(in, out).activation(Activation.RELU)
            .initializer(Initializer.LECUN_UNIFORM).rng(c.rng()).dtype(c.dtype()).build();
      }
    };
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new VaeBuilder(engine).likelihood(new Bilinear(16)).dataShape(1, 4, 4)
            .network(tooWide, Options.none()).latent(2).build())
        .withMessageContainingAll("decoder.0", "[1, 33]", "[1, 2, 4, 4]", "[1, 32]", "[1, 4, 4]");
  }

  @Test
  void aShapeThatDoesNotHoldTheDataIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new VaeBuilder(engine).likelihood(new Bilinear(16)).dataShape(1, 4, 5).build())
        .withMessageContainingAll("[1, 4, 5]", "20", "16");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new VaeBuilder(engine).likelihood(new Bilinear(32)).dataShape(2, 4, 4)
            .network(new ConvNetworkProvider(), Options.parse("image=1x8x4")).build())
        .withMessageContainingAll("image=1x8x4", "[2, 4, 4]");
  }

  @Test
  void theModelsDescriptionKeepsTheShape() {
    ModelSpec pictures = new ModelSpec(32, new int[] {8}, 3, Activation.RELU, "bilinear", Map.of(), "elbo", Map.of(),
        DType.FLOAT64, 1, "conv", Map.of(), null, new int[] {2, 4, 4},
        "standard-normal", Map.of(), "diagonal-gaussian", Map.of());
    assertThat(pictures.toMap()).containsEntry("model.data-shape", "2x4x4");
    assertThat(ModelSpec.fromMap(pictures.toMap()).dataShape()).containsExactly(2, 4, 4);
    ModelSpec rows = new ModelSpec(32, new int[] {8}, 3, Activation.RELU, "bilinear", Map.of(), DType.FLOAT64, 1);
    assertThat(rows.toMap()).doesNotContainKey("model.data-shape");
    assertThat(ModelSpec.fromMap(rows.toMap()).dataShape()).containsExactly(32);
    assertThatIllegalArgumentException().isThrownBy(() -> new ModelSpec(32, new int[] {8}, 3, Activation.RELU,
        "bilinear", Map.of(), "elbo", Map.of(), DType.FLOAT64, 1, "conv", Map.of(), null, new int[] {3, 4, 4},
        "standard-normal", Map.of(), "diagonal-gaussian", Map.of()))
        .withMessageContainingAll("[3, 4, 4]", "48", "32");
  }
}
