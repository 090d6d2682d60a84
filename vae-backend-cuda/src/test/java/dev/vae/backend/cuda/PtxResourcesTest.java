package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The committed PTX is on the classpath, written for the ISA and target the backend documents,
 * and holds exactly the entry points {@link Kernel} names.
 */
class PtxResourcesTest {
  private static final Pattern ENTRY = Pattern.compile("^\\.visible \\.entry (\\w+)\\(", Pattern.MULTILINE);

  static String ptx(Kernel.Module module) {
    return new String(DriverDevice.ptx(module), StandardCharsets.US_ASCII);
  }

  @ParameterizedTest
  @EnumSource(Kernel.Module.class)
  void ptxDeclaresTheDocumentedIsaAndTarget(Kernel.Module module) {
    String ptx = ptx(module);
    assertThat(ptx).as("%s", module.resource())
        .contains("\n.version " + KernelAbi.PTX_ISA + "\n")
        .contains("\n.target " + KernelAbi.PTX_TARGET + "\n")
        .contains("\n.address_size 64\n");
  }

  @ParameterizedTest
  @EnumSource(Kernel.Module.class)
  void ptxHoldsExactlyTheKernelsOfItsModule(Kernel.Module module) {
    Set<String> expected = new HashSet<>();
    for (Kernel kernel : Kernel.values()) {
      if (kernel.module() == module) {
        expected.addAll(kernel.entries());
      }
    }
    List<String> found = new ArrayList<>();
    Matcher m = ENTRY.matcher(ptx(module));
    while (m.find()) {
      found.add(m.group(1));
    }
    assertThat(found).as("entry points of %s", module.resource()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest
  @EnumSource(Kernel.Module.class)
  void ptxUsesNoFeatureBeyondItsTarget(Kernel.Module module) {
    // Double-precision atomics, tensor-core and cluster instructions would tie the PTX to newer GPUs.
    assertThat(ptx(module)).doesNotContain("atom.").doesNotContain("mma.").doesNotContain("cluster");
  }

  @ParameterizedTest
  @EnumSource(Kernel.Module.class)
  void everyModuleHasItsSource(Kernel.Module module) {
    assertThat(ModuleFiles.cudaSources().resolve(module.fileName() + ".cu")).isRegularFile();
  }

  @org.junit.jupiter.api.Test
  void theDriverRequirementMatchesThePtxIsa() {
    // PTX ISA 9.0 came with CUDA 13.0: the oldest driver that JIT-compiles it reports 13000.
    assertThat(KernelAbi.PTX_ISA).isEqualTo("9.0");
    assertThat(KernelAbi.MIN_DRIVER_VERSION).isEqualTo(13_000);
    assertThat(KernelAbi.PTX_TARGET).isEqualTo("sm_" + KernelAbi.MIN_COMPUTE_CAPABILITY);
  }
}
