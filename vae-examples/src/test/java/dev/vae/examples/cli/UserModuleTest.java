package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.vae.core.model.Vae;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.optim.Sgd;
import dev.vae.core.train.EpochMetrics;
import dev.vae.core.train.TrainingListener;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `vae train` builds its objects through Guice, and a module that a user's jar registers for
 * {@code com.google.inject.Module} overrides its bindings: here one that adds a training listener and
 * replaces Adam with SGD. The module is offered through a class loader of its own, as a jar on
 * {@code VAE_CLASSPATH} would be, so no other test sees it.
 */
class UserModuleTest {
  /** What the user's module saw. */
  static final List<String> HEARD = new ArrayList<>();

  /** The user's module: a listener, and SGD in place of Adam. */
  public static final class UsersModule extends AbstractModule {
    @Override
    protected void configure() {
      Multibinder.newSetBinder(binder(), TrainingListener.class).addBinding().toInstance(new TrainingListener() {
        @Override
        public void epochFinished(EpochMetrics metrics) {
          HEARD.add("epoch " + metrics.epoch());
        }
      });
      com.google.inject.Provider<Vae> vae = getProvider(Vae.class);
      OptionalBinder.newOptionalBinder(binder(), Optimizer.class).setBinding().toProvider(() -> {
        HEARD.add("sgd");
        return new Sgd(vae.get().engine(), 1e-3, 0.9, false, 0);
      });
    }
  }

  @TempDir
  Path dir;

  @Test
  void aModuleOnTheClasspathOverridesTheCommandsBindings() throws Exception {
    Path data = SyntheticMnist.write(dir.resolve("mnist"), 128, 32);
    Path services = Files.createDirectories(dir.resolve("jar/META-INF/services"));
    Files.writeString(services.resolve(Module.class.getName()), UsersModule.class.getName() + "\n");
    HEARD.clear();
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    VaeRun run;
    try (URLClassLoader jar = new URLClassLoader(new URL[] {dir.resolve("jar").toUri().toURL()}, original)) {
      thread.setContextClassLoader(jar);
      run = VaeRun.of("train", "--run", dir.resolve("run").toString(), "--data-dir", data.toString(), "--epochs",
          "2", "--hidden", "8", "--latent", "2", "--batch-size", "32", "--no-pictures");
    } finally {
      thread.setContextClassLoader(original);
    }
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(HEARD).containsExactly("sgd", "epoch 1", "epoch 2");
  }
}
