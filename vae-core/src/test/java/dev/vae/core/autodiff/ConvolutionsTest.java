package dev.vae.core.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.vae.api.ConvGeometry;
import dev.vae.api.Convolutions;
import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Convolutions, transposed convolutions, pooling and upsampling against PyTorch's values, against
 * loops written from their definitions, and their gradients against finite differences.
 */
class ConvolutionsTest {
  private static final ConvGeometry[] WINDOWS = {
    ConvGeometry.square(4, 2, 1),
    ConvGeometry.square(3, 1, 1),
    new ConvGeometry(2, 3, 2, 1, 1, 2, 1, 2),
    new ConvGeometry(3, 2, 1, 3, 0, 1, 2, 1),
  };

  private final Engine engine = new Engine(new ReferenceBackend());
  private final Random random = new Random(7);
  private MemoryScope scope;

  @BeforeEach
  void open() {
    scope = engine.scope();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  @Test
  void conv2dMatchesPyTorch() {
    // x = (arange(72) % 7 - 3).reshape(2, 2, 4, 3), w = (arange(36) % 5 - 2).reshape(3, 2, 2, 3),
    // F.conv2d(x, w, stride=(2, 1), padding=(1, 2), dilation=(1, 2)) with torch 1.13.
    double[] expected = {-5, -10, 5, 5, -11, -5, 0, 0, 4, 0, 2, 5, 0, 2, -5, -3, -4, -4, 5, 4, -5, -5, 0, 5, 4, 2, 3,
        0, 4, 0, 3, 7, -8, 0, -3, -1, 0, -1, 0, -5, 1, 9, -8, 5, 1, 0, -1, 0, -8, 0, 1, -1, -7, 8};
    Tensor y = Convolutions.conv2d(pattern(Shape.of(2, 2, 4, 3), 7, 3), pattern(Shape.of(3, 2, 2, 3), 5, 2),
        new ConvGeometry(2, 3, 2, 1, 1, 2, 1, 2));
    assertThat(y.shape()).isEqualTo(Shape.of(2, 3, 3, 3));
    assertThat(y.toDoubles()).containsExactly(expected);
  }

  @Test
  void convTranspose2dMatchesPyTorch() {
    // wt = (arange(36) % 5 - 2).reshape(2, 3, 3, 2), F.conv_transpose2d(x, wt, stride=(2, 1),
    // padding=(1, 0), dilation=(1, 2)): shape [2, 3, 7, 5]; its first image's first channel.
    double[] firstChannel = {-4, -6, 1, -5, 2, -8, -7, -2, 4, -3, 4, 2, 2, 2, 2, -5, 10, 8, 4, 4, -2, -4, -4, -5, -5,
        5, -8, -17, 4, 4, 6, 4, 4, 2, 2};
    Tensor y = Convolutions.convTranspose2d(pattern(Shape.of(2, 2, 4, 3), 7, 3), pattern(Shape.of(2, 3, 3, 2), 5, 2),
        new ConvGeometry(3, 2, 2, 1, 1, 0, 1, 2));
    assertThat(y.shape()).isEqualTo(Shape.of(2, 3, 7, 5));
    assertThat(Arrays.copyOf(y.toDoubles(), 35)).containsExactly(firstChannel);
  }

  @Test
  void convolutionsMatchTheirDefinitionForEveryWindow() {
    for (ConvGeometry window : WINDOWS) {
      Shape images = Shape.of(2, 3, 7, 6);
      double[] x = normal(images);
      double[] weight = normal(Shape.of(4, 3, window.kernelHeight(), window.kernelWidth()));
      Tensor y = Convolutions.conv2d(tensor(x, images), tensor(weight, Shape.of(4, 3, window.kernelHeight(),
          window.kernelWidth())), window);
      assertThat(y.toDoubles()).as("conv2d %s", window)
          .containsExactly(directConvolution(x, images, weight, 4, window), within(1e-12));

      Shape small = Shape.of(2, 3, 4, 3);
      double[] z = normal(small);
      double[] transposedWeight = normal(Shape.of(3, 4, window.kernelHeight(), window.kernelWidth()));
      Tensor t = Convolutions.convTranspose2d(tensor(z, small), tensor(transposedWeight, Shape.of(3, 4,
          window.kernelHeight(), window.kernelWidth())), window);
      assertThat(t.toDoubles()).as("convTranspose2d %s", window)
          .containsExactly(directTransposed(z, small, transposedWeight, 4, window), within(1e-12));
    }
  }

  @Test
  void poolingAndUpsamplingMatchTheirDefinition() {
    Shape images = Shape.of(2, 3, 6, 5);
    double[] x = normal(images);
    ConvGeometry window = new ConvGeometry(2, 3, 2, 1, 0, 0, 1, 1);
    double[] max = Convolutions.maxPool2d(tensor(x, images), window).toDoubles();
    double[] mean = Convolutions.avgPool2d(tensor(x, images), window).toDoubles();
    int oh = window.outputHeight(6);
    int ow = window.outputWidth(5);
    for (int plane = 0; plane < 6; plane++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double best = Double.NEGATIVE_INFINITY;
          double sum = 0;
          for (int ky = 0; ky < 2; ky++) {
            for (int kx = 0; kx < 3; kx++) {
              double v = x[plane * 30 + (oy * 2 + ky) * 5 + ox + kx];
              best = Math.max(best, v);
              sum += v;
            }
          }
          int at = (plane * oh + oy) * ow + ox;
          assertThat(max[at]).as("max at %d", at).isEqualTo(best);
          assertThat(mean[at]).as("mean at %d", at).isCloseTo(sum / 6, within(1e-14));
        }
      }
    }
    double[] up = Convolutions.upsampleNearest(tensor(x, images), 3).toDoubles();
    for (int plane = 0; plane < 6; plane++) {
      for (int y = 0; y < 18; y++) {
        for (int xx = 0; xx < 15; xx++) {
          assertThat(up[(plane * 18 + y) * 15 + xx]).isEqualTo(x[plane * 30 + (y / 3) * 5 + xx / 3]);
        }
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    GradientCheck check = new GradientCheck(engine, 11);
    Shape images = Shape.of(2, 2, 5, 4);
    for (ConvGeometry window : WINDOWS) {
      Shape weight = Shape.of(3, 2, window.kernelHeight(), window.kernelWidth());
      check.check("unfold " + window, in -> in.get(0).unfold(window), List.of(images), List.of(check.normal(images)));
      Shape patches = Shape.of(2, window.outputHeight(5) * window.outputWidth(4), 2 * window.taps());
      check.check("fold " + window, in -> in.get(0).fold(images, window), List.of(patches),
          List.of(check.normal(patches)));
      check.check("conv2d " + window, in -> Convolutions.conv2d(in.get(0), in.get(1), window),
          List.of(images, weight), List.of(check.normal(images), check.normal(weight)));
      Shape transposedWeight = Shape.of(2, 3, window.kernelHeight(), window.kernelWidth());
      check.check("convTranspose2d " + window, in -> Convolutions.convTranspose2d(in.get(0), in.get(1), window),
          List.of(images, transposedWeight), List.of(check.normal(images), check.normal(transposedWeight)));
    }
    ConvGeometry pool = ConvGeometry.square(2, 2, 0);
    check.check("maxPool2d", in -> Convolutions.maxPool2d(in.get(0), pool), List.of(images),
        List.of(check.normal(images)));
    check.check("avgPool2d", in -> Convolutions.avgPool2d(in.get(0), ConvGeometry.square(3, 1, 1)), List.of(images),
        List.of(check.normal(images)));
    check.check("upsampleNearest", in -> Convolutions.upsampleNearest(in.get(0), 2), List.of(images),
        List.of(check.normal(images)));
    Shape bias = Shape.of(2);
    check.check("addChannelBias", in -> Convolutions.addChannelBias(in.get(0), in.get(1)), List.of(images, bias),
        List.of(check.normal(images), check.normal(bias)));
  }

  @Test
  void mistakesAreNamedWithTheShapesInvolved() {
    Tensor images = tensor(new double[2 * 3 * 8 * 8], Shape.of(2, 3, 8, 8));
    ConvGeometry window = ConvGeometry.square(3, 1, 1);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Convolutions.conv2d(images, tensor(new double[4 * 2 * 9], Shape.of(4, 2, 3, 3)), window))
        .withMessageContainingAll("[2, 3, 8, 8]", "[out, 3, 3, 3]", "[4, 2, 3, 3]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Convolutions.convTranspose2d(images, tensor(new double[4 * 3 * 4], Shape.of(3, 4, 2, 2)),
            window))
        .withMessageContainingAll("[3, out, 3, 3]", "[3, 4, 2, 2]");
    assertThatIllegalArgumentException().isThrownBy(() -> Convolutions.conv2d(images.reshape(6, 64),
        tensor(new double[9], Shape.of(1, 1, 3, 3)), window)).withMessageContaining("[6, 64]");
    assertThatIllegalArgumentException().isThrownBy(() -> Convolutions.maxPool2d(images, window))
        .withMessageContaining("padding");
    assertThatIllegalArgumentException().isThrownBy(() -> ConvGeometry.square(0, 1, 0))
        .withMessageContaining("kernel 0x0");
    assertThatIllegalArgumentException().isThrownBy(() -> Convolutions.conv2d(images,
        tensor(new double[3 * 81], Shape.of(1, 3, 9, 9)), ConvGeometry.square(9, 1, 0)))
        .withMessageContainingAll("8", "kernel 9x9");
  }

  /** out[i, o, y, x] = Σ_{c, ky, kx} x[i, c, y·s − p + ky·d, x·s − p + kx·d] · w[o, c, ky, kx]. */
  private static double[] directConvolution(double[] x, Shape images, double[] w, int outChannels, ConvGeometry g) {
    int n = images.dim(0);
    int c = images.dim(1);
    int h = images.dim(2);
    int wd = images.dim(3);
    int oh = g.outputHeight(h);
    int ow = g.outputWidth(wd);
    double[] out = new double[n * outChannels * oh * ow];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < outChannels; o++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double sum = 0;
            for (int ch = 0; ch < c; ch++) {
              for (int ky = 0; ky < g.kernelHeight(); ky++) {
                for (int kx = 0; kx < g.kernelWidth(); kx++) {
                  int y = oy * g.strideHeight() - g.paddingHeight() + ky * g.dilationHeight();
                  int xx = ox * g.strideWidth() - g.paddingWidth() + kx * g.dilationWidth();
                  if (y >= 0 && y < h && xx >= 0 && xx < wd) {
                    sum += x[((i * c + ch) * h + y) * wd + xx]
                        * w[((o * c + ch) * g.kernelHeight() + ky) * g.kernelWidth() + kx];
                  }
                }
              }
            }
            out[((i * outChannels + o) * oh + oy) * ow + ox] = sum;
          }
        }
      }
    }
    return out;
  }

  /** out[i, o, y·s − p + ky·d, x·s − p + kx·d] += x[i, c, y, x] · w[c, o, ky, kx], inside the output. */
  private static double[] directTransposed(double[] x, Shape images, double[] w, int outChannels, ConvGeometry g) {
    int n = images.dim(0);
    int c = images.dim(1);
    int h = images.dim(2);
    int wd = images.dim(3);
    int oh = g.transposedHeight(h);
    int ow = g.transposedWidth(wd);
    double[] out = new double[n * outChannels * oh * ow];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int xx = 0; xx < wd; xx++) {
            for (int o = 0; o < outChannels; o++) {
              for (int ky = 0; ky < g.kernelHeight(); ky++) {
                for (int kx = 0; kx < g.kernelWidth(); kx++) {
                  int oy = y * g.strideHeight() - g.paddingHeight() + ky * g.dilationHeight();
                  int ox = xx * g.strideWidth() - g.paddingWidth() + kx * g.dilationWidth();
                  if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
                    out[((i * outChannels + o) * oh + oy) * ow + ox] += x[((i * c + ch) * h + y) * wd + xx]
                        * w[((ch * outChannels + o) * g.kernelHeight() + ky) * g.kernelWidth() + kx];
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** (arange(size) % modulus − shift) in the given shape: small integers, so sums are exact. */
  private Tensor pattern(Shape shape, int modulus, int shift) {
    double[] values = new double[shape.sizeAsInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % modulus - shift;
    }
    return tensor(values, shape);
  }

  private double[] normal(Shape shape) {
    double[] values = new double[shape.sizeAsInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }
    return values;
  }

  private Tensor tensor(double[] values, Shape shape) {
    return engine.fromHost(values, shape, DType.FLOAT64);
  }
}
