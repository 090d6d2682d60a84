package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the CUDA toolkit is installed: the sources compile with {@code scripts/build-ptx.sh}, the
 * result equals the committed PTX (when the same nvcc release wrote both), and ptxas assembles the
 * committed PTX for the oldest and a current target. Skipped, saying so, without nvcc or ptxas.
 */
class PtxUpToDateTest {
  private static final Pattern RELEASE = Pattern.compile("release (\\d+\\.\\d+), V([\\d.]+)");
  private static Optional<Path> nvcc;

  @BeforeAll
  static void findToolkit() {
    nvcc = tool("nvcc", System.getenv("NVCC"));
  }

  /** A toolkit program: an explicit path, else on PATH, else under CUDA_HOME or /usr/local/cuda. */
  static Optional<Path> tool(String name, String explicit) {
    List<Path> candidates = new ArrayList<>();
    if (explicit != null && !explicit.isBlank()) {
      candidates.add(Path.of(explicit));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isBlank()) {
        candidates.add(Path.of(dir, name));
      }
    }
    String cudaHome = System.getenv("CUDA_HOME");
    if (cudaHome != null && !cudaHome.isBlank()) {
      candidates.add(Path.of(cudaHome, "bin", name));
    }
    candidates.add(Path.of("/usr/local/cuda/bin", name));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(process.exitValue()).as("%s exit status; output:%n%s", command, output).isZero();
    return output;
  }

  private static String release(String text) {
    Matcher m = RELEASE.matcher(text);
    return m.find() ? m.group(1) + " (V" + m.group(2) + ")" : "unknown";
  }

  @Test
  void sourcesCompileToTheCommittedPtx(@TempDir Path out) throws Exception {
    Assumptions.assumeTrue(nvcc.isPresent(), "nvcc not found (set NVCC or install the CUDA toolkit); "
        + "the committed PTX is not rebuilt in this run");
    String script = ModuleFiles.moduleDirectory().resolve("scripts/build-ptx.sh").toString();
    List<String> command = List.of("bash", script, out.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("NVCC", nvcc.get().toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("build-ptx.sh failed:%n%s", output).isZero();

    String installed = release(run(List.of(nvcc.get().toString(), "--version")));
    for (Kernel.Module module : Kernel.Module.values()) {
      String committed = PtxResourcesTest.ptx(module);
      String rebuilt = Files.readString(out.resolve(module.fileName() + ".ptx"), StandardCharsets.US_ASCII);
      assertThat(rebuilt).as("rebuilt %s targets the documented ISA", module.fileName())
          .contains("\n.version " + KernelAbi.PTX_ISA + "\n", "\n.target " + KernelAbi.PTX_TARGET + "\n");
      String committedRelease = release(committed);
      assumeThat(committedRelease)
          .as("the committed PTX was written by nvcc %s but this nvcc is %s; they emit different code, so only "
              + "compilation is checked", committedRelease, installed)
          .isEqualTo(installed);
      assertThat(rebuilt).as("%s is out of date: run vae-backend-cuda/scripts/build-ptx.sh and commit the result",
          module.resource()).isEqualTo(committed);
    }
  }

  @Test
  void committedPtxAssemblesForTheOldestAndANewTarget(@TempDir Path out) throws Exception {
    Optional<Path> ptxas = tool("ptxas", null);
    Assumptions.assumeTrue(ptxas.isPresent(), "ptxas not found (install the CUDA toolkit); PTX not assembled");
    for (Kernel.Module module : Kernel.Module.values()) {
      Path file = out.resolve(module.fileName() + ".ptx");
      Files.write(file, DriverDevice.ptx(module));
      for (String arch : List.of(KernelAbi.PTX_TARGET, "sm_90")) {
        run(List.of(ptxas.get().toString(), "-arch=" + arch, "-o", out.resolve(module.fileName() + "." + arch).toString(),
            file.toString()));
      }
    }
  }
}
