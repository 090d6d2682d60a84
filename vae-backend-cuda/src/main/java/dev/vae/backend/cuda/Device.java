package dev.vae.backend.cuda;

import dev.vae.api.DType;
import java.util.Optional;

/**
 * What {@link CudaBackend} needs from a GPU: memory, host transfers, copies and kernel launches,
 * all ordered on one stream. {@link DriverDevice} implements it with the CUDA driver API; host
 * tests use a fake that keeps memory on the heap and records launches.
 */
interface Device extends AutoCloseable {
  /** The device in words, for logs and messages. */
  String description();

  /** The largest useful grid of a linear launch (a few waves of blocks per multiprocessor). */
  int maxBlocks();

  /** Raw allocation, which the backend wraps in a {@link BufferPool}. */
  DeviceMemory memory();

  /** Copies {@code source} into the start of {@code target}. */
  void toDevice(DeviceBuffer target, float[] source);

  /** Copies {@code source} into the start of {@code target}. */
  void toDevice(DeviceBuffer target, double[] source);

  /** Copies {@code source} into the start of {@code target}. */
  void toDevice(DeviceBuffer target, int[] source);

  /** Fills {@code target} from the start of {@code source}, after all work queued before. */
  void toHost(DeviceBuffer source, float[] target);

  /** Fills {@code target} from the start of {@code source}, after all work queued before. */
  void toHost(DeviceBuffer source, double[] target);

  /** Fills {@code target} from the start of {@code source}, after all work queued before. */
  void toHost(DeviceBuffer source, int[] target);

  /** Copies {@code bytes} from the start of {@code source} to the start of {@code target}. */
  void copy(DeviceBuffer target, DeviceBuffer source, long bytes);

  /** Queues a kernel: the entry point of {@code kernel} for {@code dtype} (null for untyped kernels). */
  void launch(Kernel kernel, DType dtype, LaunchConfig config, KernelArgs args);

  /** A library matrix product, when one loaded. */
  Optional<Gemm> gemm();

  /** Releases the device; called once, after the pool has returned its memory. */
  @Override
  void close();
}
