package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where MNIST is looked for, in which order, and what is said when it is nowhere. */
class MnistLocatorTest {
  @TempDir Path root;

  private MnistLocator locator(Map<String, String> env, Map<String, String> props) {
    return new MnistLocator(env::get, props::get);
  }

  private Path mnistIn(String name) throws Exception {
    Path d = Files.createDirectories(root.resolve(name));
    IdxFiles.writeMnist(d, 2, 2, false);
    return d;
  }

  @Test
  void theCacheDefaultsToDotCacheUnderHomeAndThePropertyOverridesIt() {
    Path home = root.resolve("home");
    MnistLocator plain = locator(Map.of(), Map.of("user.home", home.toString()));
    assertThat(plain.cacheDirectory()).isEqualTo(home.resolve(".cache/vae/mnist"));
    MnistLocator overridden =
        locator(Map.of(), Map.of("user.home", home.toString(), "vae.cache", "/data/mnist"));
    assertThat(overridden.cacheDirectory()).isEqualTo(Path.of("/data/mnist"));
    MnistLocator tilde = locator(Map.of(), Map.of("user.home", home.toString(), "vae.cache", "~/m"));
    assertThat(tilde.cacheDirectory()).isEqualTo(home.resolve("m"));
  }

  @Test
  void theCacheIsUnderHomeFromTheEnvironmentBeforeTheUserHomeProperty() {
    // HOME may differ from the account's home (user.home, from the password database): the shell and
    // scripts/fetch-mnist.sh use HOME, so the locator must too.
    Path home = root.resolve("home");
    Path account = root.resolve("account");
    MnistLocator both = locator(Map.of("HOME", home.toString()), Map.of("user.home", account.toString()));
    assertThat(both.cacheDirectory()).isEqualTo(home.resolve(".cache/vae/mnist"));
    MnistLocator blankHome = locator(Map.of("HOME", " "), Map.of("user.home", account.toString()));
    assertThat(blankHome.cacheDirectory()).isEqualTo(account.resolve(".cache/vae/mnist"));
    // A ~ in VAE_DATA is HOME too, as the shell would expand it.
    MnistLocator tilde = locator(Map.of("HOME", home.toString(), "VAE_DATA", "~/data"),
        Map.of("user.home", account.toString()));
    assertThat(tilde.candidates(Optional.empty()).get(0).directory()).isEqualTo(home.resolve("data"));
  }

  @Test
  void theCacheVariableComesBeforeHomeAndThePropertyBeforeTheVariable() {
    Path home = root.resolve("home");
    Map<String, String> env = Map.of("HOME", home.toString(), "VAE_CACHE", "~/mnist-cache");
    MnistLocator variable = locator(env, Map.of());
    assertThat(variable.cacheDirectory()).isEqualTo(home.resolve("mnist-cache"));
    assertThat(variable.describeSearch(Optional.empty()))
        .contains("the cache directory (VAE_CACHE):\n  " + home.resolve("mnist-cache"));
    MnistLocator property = locator(env, Map.of("vae.cache", "/data/mnist"));
    assertThat(property.cacheDirectory()).isEqualTo(Path.of("/data/mnist"));
  }

  @Test
  void withoutAnyHomeTheErrorSaysWhatToSet() {
    assertThatThrownBy(() -> locator(Map.of(), Map.of()).cacheDirectory())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("neither HOME nor the user.home property is set")
        .hasMessageContaining("VAE_CACHE")
        .hasMessageContaining("-Dvae.cache");
  }

  @Test
  void anExplicitDirectoryComesFirstThenTheEnvironmentThenTheCache() throws Exception {
    Path explicit = mnistIn("explicit");
    Path env = mnistIn("env");
    Path cache = mnistIn("cache");
    Map<String, String> props = Map.of("user.home", root.toString(), "vae.cache", cache.toString());
    MnistLocator all = locator(Map.of("VAE_DATA", env.toString()), props);
    assertThat(all.locate(Optional.of(explicit))).isEqualTo(explicit);
    assertThat(all.locate(Optional.empty())).isEqualTo(env);
    assertThat(locator(Map.of(), props).locate(Optional.empty())).isEqualTo(cache);
    // --data-dir decides alone, so a wrong VAE_DATA does not matter when it is given.
    MnistLocator wrongEnv = locator(Map.of("VAE_DATA", root.resolve("nowhere").toString()), props);
    assertThat(wrongEnv.locate(Optional.of(explicit))).isEqualTo(explicit);
  }

  @Test
  void aDataRootWithAnMnistSubdirectoryIsAccepted() throws Exception {
    Path dataRoot = Files.createDirectory(root.resolve("data"));
    Path mnist = Files.createDirectory(dataRoot.resolve("mnist"));
    IdxFiles.writeMnist(mnist, 2, 2, true);
    MnistLocator l = locator(Map.of("VAE_DATA", dataRoot.toString()), Map.of("user.home", root.toString()));
    assertThat(l.locate(Optional.empty())).isEqualTo(mnist);
    assertThat(l.locate(Optional.of(dataRoot))).isEqualTo(mnist);
  }

  @Test
  void aMistypedDataDirFailsInsteadOfFallingBack() throws Exception {
    Path env = mnistIn("env");
    Path cache = mnistIn("cache");
    Path mistyped = root.resolve("dta");
    MnistLocator l = locator(Map.of("VAE_DATA", env.toString()), Map.of("vae.cache", cache.toString()));
    assertThat(l.find(Optional.of(mistyped))).isEmpty();
    assertThatThrownBy(() -> l.locate(Optional.of(mistyped)))
        .isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("MNIST not found in the directory given by --data-dir:\n  " + mistyped
            + ": no such directory\n")
        .hasMessageContaining("Expected train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte"
            + " and t10k-labels-idx1-ubyte (each plain or .gz) in " + mistyped + " or in its mnist subdirectory")
        .hasMessageContaining("--data-dir is used alone when given: VAE_DATA and the cache are not tried")
        .hasMessageContaining("run: scripts/fetch-mnist.sh " + mistyped)
        .satisfies(e -> assertThat(((DataNotFoundException) e).searched())
            .containsExactly(mistyped, mistyped.resolve("mnist")));
  }

  @Test
  void aDataDirMissingSomeFilesNamesThemAndItsMnistSubdirectory() throws Exception {
    Path partial = mnistIn("partial");
    Files.delete(partial.resolve("t10k-labels-idx1-ubyte"));
    MnistLocator l = locator(Map.of(), Map.of("vae.cache", mnistIn("cache").toString()));
    assertThatThrownBy(() -> l.locate(Optional.of(partial)))
        .isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("  " + partial + ": missing t10k-labels-idx1-ubyte (plain or .gz)\n")
        .hasMessageContaining("  " + partial.resolve("mnist") + ": no such directory\n");
    Path file = Files.writeString(root.resolve("a-file"), "not MNIST");
    assertThatThrownBy(() -> l.locate(Optional.of(file)))
        .hasMessageContaining("  " + file + ": not a directory\n");
  }

  @Test
  void aWrongVaeDataFailsInsteadOfFallingBackToTheCache() throws Exception {
    Path empty = Files.createDirectory(root.resolve("empty"));
    MnistLocator l = locator(Map.of("VAE_DATA", empty.toString()), Map.of("vae.cache", mnistIn("cache").toString()));
    assertThat(l.find(Optional.empty())).isEmpty();
    assertThatThrownBy(() -> l.locate(Optional.empty()))
        .isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("MNIST not found in the directory named by VAE_DATA:\n  " + empty
            + ": missing train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
            + " t10k-labels-idx1-ubyte (plain or .gz)\n")
        .hasMessageContaining("in " + empty + " or in its mnist subdirectory")
        .hasMessageContaining("VAE_DATA is used alone when set and --data-dir is not given: the cache is not tried;"
            + " unset VAE_DATA to use the cache")
        .hasMessageContaining("run: scripts/fetch-mnist.sh " + empty);
  }

  @Test
  void anEmptyCacheSaysWhyOnlyItWasTriedAndHowToFetch() {
    Path home = root.resolve("home");
    Path cache = home.resolve(".cache/vae/mnist");
    MnistLocator l = locator(Map.of("HOME", home.toString()), Map.of());
    assertThat(l.find(Optional.empty())).isEmpty();
    assertThatThrownBy(() -> l.locate(Optional.empty()))
        .isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("MNIST not found in the cache directory ($HOME/.cache/vae/mnist):\n  " + cache
            + ": no such directory\n")
        .hasMessageContaining("(each plain or .gz) in " + cache + ".")
        .hasMessageContaining("--data-dir was not given and VAE_DATA is not set")
        .hasMessageContaining("run: scripts/fetch-mnist.sh " + cache)
        .satisfies(e -> assertThat(((DataNotFoundException) e).searched()).containsExactly(cache));
  }

  @Test
  void aBlankVariableCountsAsUnset() throws Exception {
    Path cache = mnistIn("cache");
    MnistLocator l = locator(Map.of("VAE_DATA", "  "), Map.of("vae.cache", cache.toString()));
    assertThat(l.locate(Optional.empty())).isEqualTo(cache);
    assertThat(l.candidates(Optional.empty()))
        .containsExactly(new MnistLocator.Candidate("cache (-Dvae.cache)", cache));
  }
}
