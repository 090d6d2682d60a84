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
 *   <li>the cache directory (see {@link #cacheDirectory()}), where {@code scripts/fetch-mnist.sh}
 *       puts the files.
 * </ol>
 *
 * <p>The cache directory follows one rule, shared with {@code scripts/fetch-mnist.sh} so that the
 * script fills the directory this class reads: the environment variable {@code VAE_CACHE} if set,
 * else {@code $HOME/.cache/vae/mnist}, else (HOME unset or blank) {@code .cache/vae/mnist} under the
 * {@code user.home} property, which Java takes from the account's entry in the password database,
 * as bash expands {@code ~} when HOME is unset. HOME comes first because it is what the shell, and
 * so the script, uses: when a user points HOME elsewhere (a container, a CI job, {@code sudo -H}),
 * both follow it. A Java run can override the rule with {@code -Dvae.cache=DIR}, and the script
 * with its argument. A leading {@code ~} in these settings and in {@code VAE_DATA} means the same
 * home directory.
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
  /** The system property naming the MNIST cache directory; it comes before {@link #CACHE_VARIABLE}. */
  public static final String CACHE_PROPERTY = "vae.cache";
  /** The environment variable naming the MNIST cache directory, read by the fetch script too. */
  public static final String CACHE_VARIABLE = "VAE_CACHE";
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

  /**
   * The MNIST cache directory: {@code -Dvae.cache} if set, else {@code VAE_CACHE} if set, else
   * {@code .cache/vae/mnist} under the home directory ({@code HOME}, else {@code user.home}).
   *
   * @throws IllegalStateException if neither setting nor any home directory is known
   */
  public Path cacheDirectory() {
    String property = nonBlank(properties.apply(CACHE_PROPERTY));
    if (property != null) {
      return expandHome(property);
    }
    String variable = nonBlank(environment.apply(CACHE_VARIABLE));
    if (variable != null) {
      return expandHome(variable);
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
    out.add(new Candidate(cacheOrigin(), cacheDirectory()));
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

  private String cacheOrigin() {
    if (nonBlank(properties.apply(CACHE_PROPERTY)) != null) {
      return "cache (-D" + CACHE_PROPERTY + ")";
    }
    return nonBlank(environment.apply(CACHE_VARIABLE)) != null ? "cache (" + CACHE_VARIABLE + ")" : "cache";
  }

  /** The home directory: HOME, as the shell and the fetch script use it, else user.home. */
  private Path home() {
    String home = nonBlank(environment.apply("HOME"));
    if (home == null) {
      home = nonBlank(properties.apply("user.home"));
    }
    if (home == null) {
      throw new IllegalStateException("cannot place the MNIST cache: neither HOME nor the user.home property is"
          + " set; set " + CACHE_VARIABLE + " or -D" + CACHE_PROPERTY + " to the directory that holds MNIST");
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
