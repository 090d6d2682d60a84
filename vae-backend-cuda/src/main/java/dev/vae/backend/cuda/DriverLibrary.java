package dev.vae.backend.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the NVIDIA driver's {@code libcuda.so.1} without loading it, where the dynamic loader would
 * look: the directories of {@code LD_LIBRARY_PATH}, the paths recorded in the loader's cache
 * ({@code /etc/ld.so.cache}) and the default library directories. Loading native code on a machine
 * without a driver is what a probe must avoid, so this is only file lookups.
 */
final class DriverLibrary {
  /** The driver API library that JCuda's driver binding links against. */
  static final String NAME = "libcuda.so.1";
  /** The dynamic loader's cache of library paths. */
  static final Path LD_CACHE = Path.of("/etc/ld.so.cache");
  /** Directories the loader searches by default on x86-64 Linux distributions. */
  static final List<Path> DEFAULT_DIRECTORIES = List.of(Path.of("/lib/x86_64-linux-gnu"),
      Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"), Path.of("/usr/lib"));
  private static final long MAX_CACHE_BYTES = 16L << 20;

  private final List<Path> directories;
  private final Path ldCache;

  DriverLibrary(List<Path> directories, Path ldCache) {
    this.directories = List.copyOf(directories);
    this.ldCache = ldCache;
  }

  /** The search this JVM's loader would do: {@code LD_LIBRARY_PATH}, then the cache, then the defaults. */
  static DriverLibrary system() {
    List<Path> dirs = new ArrayList<>(fromPathList(System.getenv("LD_LIBRARY_PATH")));
    dirs.addAll(DEFAULT_DIRECTORIES);
    return new DriverLibrary(dirs, LD_CACHE);
  }

  /** The directories of a colon-separated path list (null or blank: none). */
  static List<Path> fromPathList(String pathList) {
    List<Path> dirs = new ArrayList<>();
    if (pathList != null) {
      for (String entry : pathList.split(":")) {
        if (!entry.isBlank()) {
          try {
            dirs.add(Path.of(entry.trim()));
          } catch (RuntimeException e) {
            // An entry that is not a path cannot hold the library.
          }
        }
      }
    }
    return dirs;
  }

  /** Where {@value #NAME} is, if anywhere in the search. */
  Optional<Path> locate() {
    for (Path candidate : candidates()) {
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Every place looked at, in order (directories first, then the cache's entries). */
  List<Path> candidates() {
    Set<Path> candidates = new LinkedHashSet<>();
    for (Path dir : directories) {
      candidates.add(dir.resolve(NAME));
    }
    candidates.addAll(cachedPaths(ldCache));
    return new ArrayList<>(candidates);
  }

  /** The directories searched, for messages. */
  List<Path> directories() {
    return directories;
  }

  /**
   * The paths of {@value #NAME} recorded in a loader cache: its strings are NUL-terminated, and the
   * ones that matter are absolute paths ending in the library's name. A missing or unreadable
   * cache has none.
   */
  static List<Path> cachedPaths(Path cache) {
    List<Path> paths = new ArrayList<>();
    try {
      if (cache == null || !Files.isRegularFile(cache) || Files.size(cache) > MAX_CACHE_BYTES) {
        return paths;
      }
      String content = new String(Files.readAllBytes(cache), StandardCharsets.ISO_8859_1);
      for (String entry : content.split("\0")) {
        if (entry.startsWith("/") && entry.endsWith("/" + NAME)) {
          paths.add(Path.of(entry));
        }
      }
    } catch (IOException | RuntimeException e) {
      return paths;
    }
    return paths;
  }
}
