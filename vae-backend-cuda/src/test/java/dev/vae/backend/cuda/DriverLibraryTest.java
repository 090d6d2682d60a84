package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding libcuda.so.1 by file lookups alone: search directories and the loader cache. */
class DriverLibraryTest {
  @TempDir
  Path dir;

  @Test
  void findsTheLibraryInASearchedDirectory() throws IOException {
    Path first = Files.createDirectory(dir.resolve("a"));
    Path second = Files.createDirectory(dir.resolve("b"));
    Files.createFile(second.resolve("libcuda.so.1"));
    assertThat(new DriverLibrary(List.of(first, second), null).locate()).contains(second.resolve("libcuda.so.1"));
    assertThat(new DriverLibrary(List.of(first), null).locate()).isEmpty();
  }

  @Test
  void aDirectoryNamedLikeTheLibraryDoesNotCount() throws IOException {
    Files.createDirectory(dir.resolve("libcuda.so.1"));
    assertThat(new DriverLibrary(List.of(dir), null).locate()).isEmpty();
  }

  @Test
  void readsPathsFromTheLoaderCache() throws IOException {
    Path driverDir = Files.createDirectory(dir.resolve("nvidia"));
    Path lib = Files.createFile(driverDir.resolve("libcuda.so.1"));
    Path cache = dir.resolve("ld.so.cache");
    String content = "glibc-ld.so.cache1.1\0libcuda.so.1\0" + lib + "\0libm.so.6\0/usr/lib/libm.so.6\0"
        + "/opt/other/libcuda.so.12\0";
    Files.write(cache, content.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(DriverLibrary.cachedPaths(cache)).containsExactly(lib);
    assertThat(new DriverLibrary(List.of(), cache).locate()).contains(lib);
    assertThat(DriverLibrary.cachedPaths(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void pathListsSplitOnColonsAndSkipBlanks() {
    assertThat(DriverLibrary.fromPathList("/a::/b/c: ")).containsExactly(Path.of("/a"), Path.of("/b/c"));
    assertThat(DriverLibrary.fromPathList(null)).isEmpty();
  }

  @Test
  void theSystemSearchIncludesTheDefaultDirectoriesAndTheCache() {
    DriverLibrary system = DriverLibrary.system();
    assertThat(system.directories()).containsAll(DriverLibrary.DEFAULT_DIRECTORIES);
    assertThat(system.candidates()).contains(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1"));
  }
}
