package dev.vae.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Loads the JDK's other {@link FloatBuffer} and {@link DoubleBuffer} classes before the host kernels
 * run, so that the JIT compiles them knowing the buffer type is not fixed.
 *
 * <p>ND4J hands out direct native-order buffers only. While that is the one loaded implementation,
 * C2 compiles every kernel that reads or writes a buffer on the assumption that it is the only one
 * there will ever be; the first heap or byte-order view any code creates later (a safetensors
 * checkpoint does, at the end of the first epoch) loads a second class, and the JVM throws away all
 * those compiled kernels and compiles them again during the second epoch (BENCHMARKS.md, "The JIT's
 * second round"). With these classes loaded first, C2 guards each call on the type it has seen
 * instead; later epochs are no slower for it (a 100-epoch run's median epoch: 4.2 s, 4.3 s before).
 */
final class BufferClasses {
  private BufferClasses() {}

  /** Creates one empty buffer of each kind: heap, and views of either byte order. */
  static void load() {
    FloatBuffer.wrap(new float[0]);
    DoubleBuffer.wrap(new double[0]);
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      ByteBuffer.allocate(0).order(order).asFloatBuffer();
      ByteBuffer.allocate(0).order(order).asDoubleBuffer();
    }
  }
}
