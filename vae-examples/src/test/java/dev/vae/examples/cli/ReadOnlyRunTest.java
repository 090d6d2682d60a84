package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.core.testkit.Tmpfs;
import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that writes a picture into a run directory on a read-only file system says which file
 * it could not write and why, in one message, without a stack trace. The run lives on a tmpfs that
 * the test mounts and turns read-only (root ignores file permissions, so a mount is the honest way
 * to make a directory unwritable); skipped where mounting is not allowed.
 */
class ReadOnlyRunTest {
  @TempDir
  Path dir;

  @Test
  void sampleIntoAReadOnlyRunNamesTheFileWithoutAStackTrace() throws Exception {
    Path data = SyntheticMnist.write(dir.resolve("mnist"), 128, 32);
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "8m")) {
      sampleInto(disk, data);
    }
  }

  private static void sampleInto(Tmpfs disk, Path data) throws Exception {
    Path runDir = disk.directory().resolve("run");
    VaeRun trained = VaeRun.of("train", "--run", runDir.toString(), "--data-dir", data.toString(), "--epochs", "1",
        "--hidden", "8", "--latent", "2", "--batch-size", "32", "--no-pictures");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    disk.remountReadOnly();

    PrintStream originalErr = System.err;
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    VaeRun sample;
    try (PrintStream captured = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
      System.setErr(captured);
      sample = VaeRun.of("sample", "--run", runDir.toString(), "--data-dir", data.toString(), "-n", "4");
    } finally {
      System.setErr(originalErr);
    }
    assertThat(sample.exitCode()).isEqualTo(1);
    assertThat(sample.err()).contains("vae sample: cannot write the picture " + runDir.resolve("samples.png"))
        .contains("Read-only file system");
    String everything = sample.out() + sample.err() + stderr.toString(StandardCharsets.UTF_8);
    assertThat(everything).as("no stack trace anywhere").doesNotContain("\tat ").doesNotContain("Exception in");
  }
}
