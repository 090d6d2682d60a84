package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings from properties: defaults, overrides and clear errors. */
class CudaOptionsTest {
  @Test
  void defaultsAreDeviceZeroWithCublasAndAsynchronousLaunches() {
    assertThat(CudaOptions.from(name -> null)).isEqualTo(new CudaOptions(0, true, false));
  }

  @Test
  void propertiesOverrideTheDefaults() {
    Map<String, String> values = Map.of(CudaOptions.DEVICE, "1", CudaOptions.CUBLAS, "FALSE", CudaOptions.SYNC, "true");
    assertThat(CudaOptions.from(values::get)).isEqualTo(new CudaOptions(1, false, true));
  }

  @Test
  void badOrdinalsAreRejectedNamingTheProperty() {
    assertThatIllegalArgumentException().isThrownBy(() -> CudaOptions.from(n -> n.equals(CudaOptions.DEVICE) ? "-1" : null))
        .withMessageContaining("vae.cuda.device");
    assertThatIllegalArgumentException().isThrownBy(() -> CudaOptions.from(n -> n.equals(CudaOptions.DEVICE) ? "x" : null))
        .withMessageContaining("'x'");
  }
}
