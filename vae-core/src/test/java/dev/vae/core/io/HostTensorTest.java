package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.core.io.HostTensor.ElementType;
import org.junit.jupiter.api.Test;

class HostTensorTest {
  @Test
  void isAnImmutableValue() {
    float[] data = {1, 2, 3, 4, 5, 6};
    int[] shape = {2, 3};
    HostTensor t = HostTensor.ofFloats(data, shape);
    data[0] = 99;
    shape[0] = 6;
    t.floats()[1] = 99;
    t.shape()[1] = 1;

    assertThat(t.floats()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(t.shape()).containsExactly(2, 3);
    assertThat(t).isEqualTo(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3))
        .hasSameHashCodeAs(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3))
        .isNotEqualTo(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2))
        .isNotEqualTo(HostTensor.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertThat(t.byteSize()).isEqualTo(24);
    assertThat(t.apiShape()).isEqualTo(Shape.of(2, 3));
  }

  @Test
  void checksShapeAgainstData() {
    assertThatThrownBy(() -> HostTensor.ofDoubles(new double[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 3] holds 6 elements but 5 were given");
    assertThatThrownBy(() -> HostTensor.ofLongs(new long[0], 2, -1)).hasMessageContaining("negative size");
    assertThatThrownBy(() -> HostTensor.ofFloats(new float[1], 65536, 65536)).hasMessageContaining("more than");
    assertThat(HostTensor.ofLongs(new long[] {5}).rank()).isZero();
  }

  @Test
  void convertsBetweenBackendValuesAndStorage() {
    HostTensor f = HostTensor.fromDoubles(new double[] {0.1, 2}, Shape.of(2), DType.FLOAT32);
    HostTensor d = HostTensor.fromDoubles(new double[] {0.1, 2}, Shape.of(2), DType.FLOAT64);

    assertThat(f.type()).isEqualTo(ElementType.F32);
    assertThat(f.floats()).containsExactly(0.1f, 2f);
    assertThat(f.toDoubles()).containsExactly((double) 0.1f, 2.0);
    assertThat(d.doubles()).containsExactly(0.1, 2.0);
    assertThat(HostTensor.ofLongs(new long[] {-3}).toDoubles()).containsExactly(-3.0);
    assertThatThrownBy(f::doubles).isInstanceOf(IllegalStateException.class).hasMessageContaining("F32");
  }

  @Test
  void rngStateRestoresTheStream() {
    Rng rng = new Rng(123);
    rng.advance(77);
    Rng restored = RngState.of(rng).toRng();

    assertThat(restored.seed()).isEqualTo(123);
    assertThat(restored.offset()).isEqualTo(77);
    assertThatThrownBy(() -> new RngState(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
