package dev.vae.backend.cuda;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of this module's sources, for tests that read them (tests run in the module directory). */
final class ModuleFiles {
  private ModuleFiles() {}

  /** The module directory: the working directory of Maven's test run, or vae-backend-cuda below it. */
  static Path moduleDirectory() {
    Path here = Path.of("").toAbsolutePath();
    if (Files.isDirectory(here.resolve("src/main/cuda"))) {
      return here;
    }
    Path child = here.resolve("vae-backend-cuda");
    if (Files.isDirectory(child.resolve("src/main/cuda"))) {
      return child;
    }
    throw new IllegalStateException("cannot find vae-backend-cuda/src/main/cuda from " + here);
  }

  static Path cudaSources() {
    return moduleDirectory().resolve("src/main/cuda");
  }
}
