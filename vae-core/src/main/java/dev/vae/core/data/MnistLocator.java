package dev.vae.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds the directory that holds MNIST's four IDX files. Places are tried in this order, and the
 * first that holds all four files (each plain or {@code .gz}) wins:
 *
 * <ol>
 *   <li>the directory given explicitly (the {@code --data-dir} option), or its {@code mnist}
 *       subdirectory;
 *   <li>the directory in the environment variable {@code VAE_DATA}, or its {@code mnist}
 *       subdirectory;
 *   <li>the cache directory: the system property {@code vae.cache} if set, else {@code
 *       ~/.cache/vae/mnist}, where {@code scripts/fetch-mnist.sh} puts the files.
 * </ol>
 *
 * <p>When an explicitly named place lacks the files and a later one is used, that is logged as a
 * warning. When no place holds them, {@link #locate} throws a {@link DataNotFoundException} that
 * lists every place and what was wrong with it, and says how to fetch the data. The environment
 * and system properties are read through injected functions, so tests need not touch the real
 * ones.
 */
public final class MnistLocator {
  /** The environment variable naming a data directory. */
  public static final String ENV_VARIABLE = "VAE_DATA";
  /** The system property naming the MNIST cache directory. */
  public static final String CACHE_PROPERTY = "vae.cache";
  /** The script that fetches MNIST into the cache directory. */
  public static final String FETCH_SCRIPT = "scripts/fetch-mnist.sh";

  private static final System.Logger LOG = System.getLogger(MnistLocator.class.getName());

  private final Function<String, String> environment;
  private final Function<String, String> properties;

  /**
   * @param environment looks up an environment variable, null when unset (e.g. System::getenv)
   * @param properties looks up a system property, null when unset (e.g. System::getProperty)
   */
  public MnistLocator(Function<String, String> environment, Function<String, String> properties) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.properties = Objects.requireNonNull(properties, "properties");
  }

  /** A locator reading this process's environment and system properties. */
  public static MnistLocator system() {
    return new MnistLocator(System::getenv, System::getProperty);
  }

  /**
   * A place that was or would be searched.
   *
   * @param origin where the place came from, in words (e.g. "--data-dir", "VAE_DATA", "cache")
   * @param directory the directory, or null when the origin gave none (an unset variable)
   */
  public record Candidate(String origin, Path directory) {
    /** Whether this candidate holds all four files. */
    public boolean complete() {
      return directory != null && Files.isDirectory(directory) && Mnist.missingFiles(directory).isEmpty();
    }

    /** What was found there, in words: "all four files", "not set", "no such directory", ... */
    public String finding() {
      if (directory == null) {
        return "not set";
      }
      if (!Files.isDirectory(directory)) {
        return Files.exists(directory) ? "not a directory" : "no such directory";
      }
      List<String> missing = Mnist.missingFiles(directory);
      if (missing.isEmpty()) {
        return "all four files";
      }
      return "missing " + String.join(", ", missing) + " (plain or .gz)";
    }
  }

  /** The MNIST cache directory: {@code -Dvae.cache} if set, else {@code ~/.cache/vae/mnist}. */
  public Path cacheDirectory() {
    String override = nonBlank(properties.apply(CACHE_PROPERTY));
    if (override != null) {
      return expandHome(override);
    }
    return home().resolve(".cache").resolve("vae").resolve("mnist");
  }

  /** Every place that would be searched, in order. */
  public List<Candidate> candidates(Optional<Path> dataDir) {
    List<Candidate> out = new ArrayList<>();
    if (dataDir.isPresent()) {
      Path dir = dataDir.get();
      out.add(new Candidate("--data-dir", dir));
      out.add(new Candidate("--data-dir", dir.resolve("mnist")));
    }
    String env = nonBlank(environment.apply(ENV_VARIABLE));
    if (env == null) {
      out.add(new Candidate(ENV_VARIABLE, null));
    } else {
      Path dir = expandHome(env);
      out.add(new Candidate(ENV_VARIABLE, dir));
      out.add(new Candidate(ENV_VARIABLE, dir.resolve("mnist")));
    }
    String cacheOrigin =
        nonBlank(properties.apply(CACHE_PROPERTY)) != null ? "cache (-D" + CACHE_PROPERTY + ")" : "cache";
    out.add(new Candidate(cacheOrigin, cacheDirectory()));
    return out;
  }

  /** The first place that holds all four files, if any. */
  public Optional<Path> find(Optional<Path> dataDir) {
    List<Candidate> candidates = candidates(dataDir);
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      if (c.complete()) {
        warnAboutSkipped(candidates.subList(0, i), c);
        return Optional.of(c.directory());
      }
    }
    return Optional.empty();
  }

  /**
   * The directory that holds MNIST.
   *
   * @throws DataNotFoundException listing every place searched and how to fetch the data
   */
  public Path locate(Optional<Path> dataDir) {
    return find(dataDir)
        .orElseThrow(
            () -> {
              List<Path> searched = new ArrayList<>();
              for (Candidate c : candidates(dataDir)) {
                if (c.directory() != null) {
                  searched.add(c.directory());
                }
              }
              return new DataNotFoundException(describeSearch(dataDir), searched);
            });
  }

  /**
   * Why MNIST was not found, in words: every place searched with what was found there, and how to
   * get the data.
   */
  public String describeSearch(Optional<Path> dataDir) {
    StringBuilder sb = new StringBuilder("MNIST not found. Looked in, in order:\n");
    List<Candidate> candidates = candidates(dataDir);
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      sb.append("  ").append(i + 1).append(". ").append(c.origin());
      if (c.directory() != null) {
        sb.append(": ").append(c.directory().toAbsolutePath());
      }
      sb.append(" (").append(c.finding()).append(")\n");
    }
    sb.append("To fetch MNIST, run ")
        .append(FETCH_SCRIPT)
        .append(" (it fills ")
        .append(cacheDirectory().toAbsolutePath())
        .append(", or the directory given as its argument), or point --data-dir or ")
        .append(ENV_VARIABLE)
        .append(" at a directory holding ")
        .append(String.join(", ", Mnist.fileNames()))
        .append(" (each plain or .gz).");
    return sb.toString();
  }

  private void warnAboutSkipped(List<Candidate> skipped, Candidate used) {
    Set<String> warned = new HashSet<>();
    for (Candidate c : skipped) {
      if (c.directory() != null && !c.origin().equals(used.origin()) && warned.add(c.origin())) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0} names {1}, which holds no MNIST ({2}), nor does its mnist subdirectory;"
                + " using {3} from {4}",
            c.origin(), c.directory(), c.finding(), used.directory(), used.origin());
      }
    }
  }

  private Path home() {
    String home = nonBlank(properties.apply("user.home"));
    if (home == null) {
      throw new IllegalStateException(
          "cannot place the MNIST cache: the user.home property is not set; set -D" + CACHE_PROPERTY);
    }
    return Path.of(home);
  }

  private Path expandHome(String path) {
    if (path.equals("~")) {
      return home();
    }
    if (path.startsWith("~/")) {
      return home().resolve(path.substring(2));
    }
    return Path.of(path);
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
