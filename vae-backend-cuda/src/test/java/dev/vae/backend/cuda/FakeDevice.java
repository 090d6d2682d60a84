package dev.vae.backend.cuda;

import dev.vae.api.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A device for host tests: memory is heap byte arrays ({@link CountingMemory}), transfers and
 * device-to-device copies really copy, and kernel launches are recorded but not run. So everything
 * the backend does on the host (checks, layouts, launch configurations, memory bookkeeping,
 * transfers) can be tested without a GPU; the values kernels would compute cannot.
 */
final class FakeDevice implements Device {
  /** One recorded launch. */
  record Launch(Kernel kernel, DType dtype, LaunchConfig config, KernelArgs args) {
    String entry() {
      return kernel.entry(dtype);
    }

    Object arg(int index) {
      return args.list().get(index).value();
    }
  }

  private final CountingMemory memory = new CountingMemory();
  private final List<Launch> launches = new ArrayList<>();
  private final int maxBlocks;
  private int[] nextIntReadback;
  private boolean closed;

  FakeDevice(int maxBlocks) {
    this.maxBlocks = maxBlocks;
  }

  /** Makes the next int readback (cholesky's status words) return these values. */
  void answerNextIntReadback(int... values) {
    nextIntReadback = values.clone();
  }

  List<Launch> launches() {
    return launches;
  }

  Launch lastLaunch() {
    return launches.get(launches.size() - 1);
  }

  CountingMemory countingMemory() {
    return memory;
  }

  boolean closed() {
    return closed;
  }

  private static ByteBuffer bytes(DeviceBuffer buffer) {
    return ByteBuffer.wrap((byte[]) buffer.handle()).order(ByteOrder.nativeOrder());
  }

  @Override
  public String description() {
    return "fake device";
  }

  @Override
  public int maxBlocks() {
    return maxBlocks;
  }

  @Override
  public DeviceMemory memory() {
    return memory;
  }

  @Override
  public void toDevice(DeviceBuffer target, float[] source) {
    bytes(target).asFloatBuffer().put(source);
  }

  @Override
  public void toDevice(DeviceBuffer target, double[] source) {
    bytes(target).asDoubleBuffer().put(source);
  }

  @Override
  public void toDevice(DeviceBuffer target, int[] source) {
    bytes(target).asIntBuffer().put(source);
  }

  @Override
  public void toHost(DeviceBuffer source, float[] target) {
    bytes(source).asFloatBuffer().get(target);
  }

  @Override
  public void toHost(DeviceBuffer source, double[] target) {
    bytes(source).asDoubleBuffer().get(target);
  }

  @Override
  public void toHost(DeviceBuffer source, int[] target) {
    if (nextIntReadback != null) {
      System.arraycopy(nextIntReadback, 0, target, 0, target.length);
      nextIntReadback = null;
    } else {
      bytes(source).asIntBuffer().get(target);
    }
  }

  @Override
  public void copy(DeviceBuffer target, DeviceBuffer source, long bytes) {
    System.arraycopy((byte[]) source.handle(), 0, (byte[]) target.handle(), 0, Math.toIntExact(bytes));
  }

  /** Records the launch; a Cholesky launch also reports success in its status words, as the kernel would. */
  @Override
  public void launch(Kernel kernel, DType dtype, LaunchConfig config, KernelArgs args) {
    kernel.entry(dtype);
    launches.add(new Launch(kernel, dtype, config, args));
    if (kernel == Kernel.CHOLESKY) {
      java.util.Arrays.fill((byte[]) ((DeviceBuffer) args.list().get(4).value()).handle(), (byte) 0);
    }
  }

  @Override
  public Optional<Gemm> gemm() {
    return Optional.empty();
  }

  @Override
  public void close() {
    closed = true;
  }
}
