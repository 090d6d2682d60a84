package dev.vae.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the directory that holds MNIST's four IDX files (each plain or {@code .gz}). It looks in
 * one place: the first of these that is set.
 *
 * <ol>
 *   <li>the directory given explicitly (the {@code --data-dir} option), or its {@code mnist}
 *       subdirectory;
 *   <li>the directory in the environment variable {@code VAE_DATA} (a blank value counts as unset),
 *       or its {@code mnist} subdirectory;
 *   <li>the cache directory (see {@link #cacheDirectory()}), where {@code scripts/fetch-mnist.sh}
 *       puts the files.
 * </ol>
 *
 * <p>A directory named explicitly, by {@code --data-dir} or by {@code VAE_DATA}, that lacks the
 * files is an error, never a reason to fall back to a later place: a mistyped option or a stale
 * variable would otherwise run on other data than asked for. {@link #locate} then throws a {@link
 * DataNotFoundException} that names the setting, the directory, what was found there (no such
 * directory, or which files are missing), what was expected and how to fetch the data.
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
 * <p>The environment and system properties are read through injected functions, so tests need not
 * touch the real ones.
 */
public final class MnistLocator {
  /** The command-line option naming a data directory, as messages call it. */
  public static final String DATA_DIR_OPTION = "--data-dir";
  /** The environment variable naming a data directory. */
  public static final String ENV_VARIABLE = "VAE_DATA";
  /** The system property naming the MNIST cache directory; it comes before {@link #CACHE_VARIABLE}. */
  public static final String CACHE_PROPERTY = "vae.cache";
  /** The environment variable naming the MNIST cache directory, read by the fetch script too. */
  public static final String CACHE_VARIABLE = "VAE_CACHE";
  /** The script that fetches MNIST into the cache directory. */
  public static final String FETCH_SCRIPT = "scripts/fetch-mnist.sh";

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
   * A directory that is looked in.
   *
   * @param origin the setting that named it, in words ("--data-dir", "VAE_DATA", "cache (VAE_CACHE)")
   * @param directory the directory
   */
  public record Candidate(String origin, Path directory) {
    /** Both fields are required. */
    public Candidate {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(directory, "directory");
    }

    /** Whether this directory holds all four files. */
    public boolean complete() {
      return Files.isDirectory(directory) && Mnist.missingFiles(directory).isEmpty();
    }

    /** What was found there, in words: "all four files", "no such directory", "missing ...". */
    public String finding() {
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

  /**
   * The directories looked in, in order. Only the first place that is set is searched: {@code
   * dataDir} and its {@code mnist} subdirectory when given, else {@code VAE_DATA} and its {@code
   * mnist} subdirectory when set, else the cache directory.
   */
  public List<Candidate> candidates(Optional<Path> dataDir) {
    if (dataDir.isPresent()) {
      return withSubdirectory(DATA_DIR_OPTION, dataDir.get());
    }
    String env = nonBlank(environment.apply(ENV_VARIABLE));
    if (env != null) {
      return withSubdirectory(ENV_VARIABLE, expandHome(env));
    }
    return List.of(new Candidate("cache (" + cacheSetting() + ")", cacheDirectory()));
  }

  /** The first candidate that holds all four files, if any. */
  public Optional<Path> find(Optional<Path> dataDir) {
    return candidates(dataDir).stream().filter(Candidate::complete).map(Candidate::directory).findFirst();
  }

  /**
   * The directory that holds MNIST.
   *
   * @throws DataNotFoundException naming the setting that was used, the directory, what was found
   *     there, what was expected and how to fetch the data
   */
  public Path locate(Optional<Path> dataDir) {
    return find(dataDir)
        .orElseThrow(
            () ->
                new DataNotFoundException(
                    describeSearch(dataDir),
                    candidates(dataDir).stream().map(Candidate::directory).toList()));
  }

  /**
   * Why MNIST was not found, in words: the setting used and why it alone, each directory looked in
   * with what was found there, what was expected and how to fetch the data.
   */
  public String describeSearch(Optional<Path> dataDir) {
    List<Candidate> candidates = candidates(dataDir);
    Path dir = candidates.get(0).directory().toAbsolutePath();
    StringBuilder sb = new StringBuilder("MNIST not found in ");
    String why;
    if (dataDir.isPresent()) {
      sb.append("the directory given by ").append(DATA_DIR_OPTION);
      why = DATA_DIR_OPTION + " is used alone when given: " + ENV_VARIABLE + " and the cache are not tried.";
    } else if (candidates.size() > 1) {
      sb.append("the directory named by ").append(ENV_VARIABLE);
      why = ENV_VARIABLE + " is used alone when set and " + DATA_DIR_OPTION + " is not given: the cache is"
          + " not tried; unset " + ENV_VARIABLE + " to use the cache.";
    } else {
      sb.append("the cache directory (").append(cacheSetting()).append(")");
      why = DATA_DIR_OPTION + " was not given and " + ENV_VARIABLE + " is not set, so only the cache was tried.";
    }
    sb.append(":\n");
    for (Candidate c : candidates) {
      // A subdirectory of a directory that does not exist goes without saying.
      if (c == candidates.get(0) || Files.isDirectory(dir)) {
        sb.append("  ").append(c.directory().toAbsolutePath()).append(": ").append(c.finding()).append("\n");
      }
    }
    sb.append("Expected ").append(fileList()).append(" (each plain or .gz) in ").append(dir);
    sb.append(candidates.size() > 1 ? " or in its mnist subdirectory.\n" : ".\n");
    sb.append(why).append("\n");
    sb.append("To fetch MNIST there, run: ").append(FETCH_SCRIPT).append(" ").append(dir);
    return sb.toString();
  }

  private static List<Candidate> withSubdirectory(String origin, Path dir) {
    return List.of(new Candidate(origin, dir), new Candidate(origin, dir.resolve("mnist")));
  }

  private static String fileList() {
    List<String> names = Mnist.fileNames();
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }

  /** Which setting gave the cache directory, in words. */
  private String cacheSetting() {
    if (nonBlank(properties.apply(CACHE_PROPERTY)) != null) {
      return "-D" + CACHE_PROPERTY;
    }
    if (nonBlank(environment.apply(CACHE_VARIABLE)) != null) {
      return CACHE_VARIABLE;
    }
    return nonBlank(environment.apply("HOME")) != null ? "$HOME/.cache/vae/mnist" : "${user.home}/.cache/vae/mnist";
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
