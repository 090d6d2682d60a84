package dev.vae.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the files that {@code src/test/python/safetensors_interop.py check DIR} reads with the
 * reference safetensors library: {@code DIR/java-written.safetensors} and a checkpoint store in
 * {@code DIR/checkpoints}. Not a test (Python is not needed to build); run by hand:
 *
 * <pre>
 * java -cp vae-api/target/classes:vae-core/target/classes:vae-core/target/test-classes \
 *     dev.vae.core.io.InteropWriter DIR
 * </pre>
 */
public final class InteropWriter {
  private InteropWriter() {
  }

  /** Writes into the directory named by the one argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: InteropWriter DIR");
    }
    Path dir = Files.createDirectories(Path.of(args[0]));
    SafeTensors.write(dir.resolve("java-written.safetensors"), SafeTensorsTest.interopTensors(),
        SafeTensorsTest.INTEROP_METADATA);
    var tensors = SafeTensorsTest.interopTensors();
    Checkpoint c = Checkpoint.builder(1200)
        .epoch(3)
        .parameter("weights", tensors.get("weights"))
        .parameter("bias", tensors.get("bias"))
        .optimizerSlot("weights/m", HostTensor.ofFloats(new float[12], 3, 4))
        .rng("data", new RngState(-7, 1L << 40))
        .config("likelihood", "bernoulli")
        .build();
    Path saved = new CheckpointStore(dir.resolve("checkpoints"), 2).save(c);
    System.out.println("wrote " + dir.resolve("java-written.safetensors") + " and " + saved);
  }
}
