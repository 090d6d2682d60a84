package dev.vae.backend.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds {@code src/test/cuda/kernel_emulator.cpp}, the kernels of {@code src/main/cuda} compiled
 * for the host under a model of CUDA's threads, with the host's C++ compiler ({@code CXX}, else
 * {@code g++} or {@code c++} on PATH) into {@code target/kernel-emulator}; rebuilt when a CUDA
 * source or the emulator is newer than the program.
 */
final class KernelEmulator {
  private static Optional<Path> program;
  private static String unavailable;

  private KernelEmulator() {}

  /** The emulator program, or empty with {@link #whyUnavailable()} saying why. */
  static synchronized Optional<Path> program() {
    if (program == null) {
      program = build();
    }
    return program;
  }

  static synchronized String whyUnavailable() {
    return unavailable;
  }

  /** Skips the calling tests, saying why, unless the emulator program builds. */
  static void require() {
    Assumptions.assumeTrue(program().isPresent(), KernelEmulator::whyUnavailable);
  }

  /**
   * A CUDA backend whose kernels this emulator runs, with at most four blocks a linear launch;
   * skips the calling test, saying why, when the emulator does not build ({@link #require}).
   */
  static CudaBackend backend() {
    require();
    return new CudaBackend(new EmulatedDevice(program().orElseThrow(), 4));
  }

  /** True if the program exists and is newer than every file in the source directories. */
  private static boolean upToDate(Path binary, List<Path> sourceDirectories) throws IOException {
    if (!Files.isExecutable(binary)) {
      return false;
    }
    long built = Files.getLastModifiedTime(binary).toMillis();
    for (Path dir : sourceDirectories) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.anyMatch(f -> lastModified(f) >= built)) {
          return false;
        }
      }
    }
    return true;
  }

  private static long lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  private static Optional<Path> build() {
    Optional<Path> compiler = PtxUpToDateTest.tool("g++", System.getenv("CXX"))
        .or(() -> PtxUpToDateTest.tool("c++", null));
    if (compiler.isEmpty()) {
      unavailable = "no C++ compiler (g++ or c++, or CXX) to build the kernel emulator";
      return Optional.empty();
    }
    try {
      Path module = ModuleFiles.moduleDirectory();
      Path dir = Files.createDirectories(module.resolve("target/kernel-emulator"));
      Path binary = dir.resolve("kernel_emulator");
      Path source = module.resolve("src/test/cuda/kernel_emulator.cpp");
      if (upToDate(binary, List.of(module.resolve("src/main/cuda"), module.resolve("src/test/cuda")))) {
        return Optional.of(binary);
      }
      Process process = new ProcessBuilder(List.of(compiler.get().toString(), "-std=c++17", "-O1", "-o",
          binary.toString(), source.toString())).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
        // A compiler without the C++17 and ucontext it needs cannot build it; the kernels themselves are not at fault.
        unavailable = "the kernel emulator did not build with " + compiler.get() + ":\n" + output;
        return Optional.empty();
      }
      return Optional.of(binary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unavailable = "interrupted while building the kernel emulator";
      return Optional.empty();
    }
  }
}
