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
    assertThat(variable.describeSearch(Optional.empty())).contains("cache (VAE_CACHE): " + home.resolve("mnist-cache"));
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
    // A place without the files is passed over.
    Path empty = Files.createDirectory(root.resolve("empty"));
    assertThat(all.locate(Optional.of(empty))).isEqualTo(env);
    assertThat(locator(Map.of("VAE_DATA", empty.toString()), props).locate(Optional.empty())).isEqualTo(cache);
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
  void notFoundListsEveryPlaceWithWhatWasWrongAndHowToFetch() throws Exception {
    Path partial = Files.createDirectory(root.resolve("partial"));
    IdxFiles.writeMnist(partial, 2, 2, false);
    Files.delete(partial.resolve("t10k-labels-idx1-ubyte"));
    Path explicit = root.resolve("does-not-exist");
    Path home = root.resolve("home");
    MnistLocator l = locator(Map.of("VAE_DATA", partial.toString()), Map.of("user.home", home.toString()));
    assertThat(l.find(Optional.of(explicit))).isEmpty();
    assertThatThrownBy(() -> l.locate(Optional.of(explicit)))
        .isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("MNIST not found")
        .hasMessageContaining("1. --data-dir: " + explicit + " (no such directory)")
        .hasMessageContaining("3. VAE_DATA: " + partial + " (missing t10k-labels-idx1-ubyte (plain or .gz))")
        .hasMessageContaining("5. cache: " + home.resolve(".cache/vae/mnist"))
        .hasMessageContaining("run scripts/fetch-mnist.sh")
        .satisfies(e -> assertThat(((DataNotFoundException) e).searched()).containsExactly(
            explicit, explicit.resolve("mnist"), partial, partial.resolve("mnist"),
            home.resolve(".cache/vae/mnist")));
  }

  @Test
  void anUnsetOrBlankVariableIsReportedAsNotSet() {
    MnistLocator l = locator(Map.of("VAE_DATA", "  "), Map.of("user.home", root.toString()));
    assertThat(l.describeSearch(Optional.empty()))
        .contains("1. VAE_DATA (not set)")
        .contains("2. cache: ");
  }
}
