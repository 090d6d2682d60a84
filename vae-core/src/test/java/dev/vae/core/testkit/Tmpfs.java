package dev.vae.core.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test, for file-system conditions that file permissions cannot make
 * for root: a full disk, a read-only directory. Mounting needs Linux and the right to mount (root,
 * usually); where it is refused the test is skipped, saying why. Close it to unmount.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path directory;

  private Tmpfs(Path directory) {
    this.directory = directory;
  }

  /** A tmpfs of {@code size} (as mount takes it, e.g. "512k") mounted on {@code directory}, created here. */
  public static Tmpfs mount(Path directory, String size) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", directory.toString()),
        "cannot mount a tmpfs here (needs Linux and the right to mount)");
    return new Tmpfs(directory);
  }

  /** Where it is mounted. */
  public Path directory() {
    return directory;
  }

  /** Makes it read-only; skips the test where remounting is refused. */
  public void remountReadOnly() throws IOException, InterruptedException {
    assumeTrue(run("mount", "-o", "remount,ro", directory.toString()), "cannot remount the tmpfs read-only here");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (!run("umount", directory.toString())) {
      throw new IllegalStateException("could not unmount the test's tmpfs at " + directory);
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      return false;
    }
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
