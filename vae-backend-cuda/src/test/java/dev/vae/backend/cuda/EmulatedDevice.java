package dev.vae.backend.cuda;

import dev.vae.api.DType;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Device} whose kernels really run: memory and transfers as in {@link FakeDevice} (heap
 * byte arrays), and every launch sent to the {@link KernelEmulator} process, which runs the entry
 * point compiled from the same CUDA sources as the PTX, with the launch's grid and block, and sends
 * the buffers back. Small grids ({@link #maxBlocks()}) make the kernels' grid-stride loops work.
 * Without a GPU this checks the backend's Java code and its kernels together; what it cannot check
 * is the PTX as the driver compiles it, device libm, and races between blocks.
 */
final class EmulatedDevice implements Device {
  private final FakeDevice memoryAndCopies;
  private final Process process;
  private final DataInputStream in;
  private final OutputStream out;
  private long launches;

  EmulatedDevice(Path emulator, int maxBlocks) {
    this.memoryAndCopies = new FakeDevice(maxBlocks);
    try {
      this.process = new ProcessBuilder(emulator.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
    this.out = new BufferedOutputStream(process.getOutputStream());
  }

  long launches() {
    return launches;
  }

  CountingMemory countingMemory() {
    return memoryAndCopies.countingMemory();
  }

  @Override
  public String description() {
    return "kernel emulator on the host";
  }

  @Override
  public int maxBlocks() {
    return memoryAndCopies.maxBlocks();
  }

  @Override
  public DeviceMemory memory() {
    return memoryAndCopies.memory();
  }

  @Override
  public void toDevice(DeviceBuffer target, float[] source) {
    memoryAndCopies.toDevice(target, source);
  }

  @Override
  public void toDevice(DeviceBuffer target, double[] source) {
    memoryAndCopies.toDevice(target, source);
  }

  @Override
  public void toDevice(DeviceBuffer target, int[] source) {
    memoryAndCopies.toDevice(target, source);
  }

  @Override
  public void toHost(DeviceBuffer source, float[] target) {
    memoryAndCopies.toHost(source, target);
  }

  @Override
  public void toHost(DeviceBuffer source, double[] target) {
    memoryAndCopies.toHost(source, target);
  }

  @Override
  public void toHost(DeviceBuffer source, int[] target) {
    memoryAndCopies.toHost(source, target);
  }

  @Override
  public void copy(DeviceBuffer target, DeviceBuffer source, long bytes) {
    memoryAndCopies.copy(target, source, bytes);
  }

  @Override
  public synchronized void launch(Kernel kernel, DType dtype, LaunchConfig config, KernelArgs args) {
    launches++;
    Map<DeviceBuffer, Integer> index = new IdentityHashMap<>();
    List<byte[]> buffers = new ArrayList<>();
    for (KernelArgs.Arg arg : args.list()) {
      if (arg.kind() == KernelArgs.Kind.POINTER && arg.value() != null && !index.containsKey(arg.value())) {
        DeviceBuffer buffer = (DeviceBuffer) arg.value();
        index.put(buffer, buffers.size());
        buffers.add((byte[]) buffer.handle());
      }
    }
    try {
      byte[] name = kernel.entry(dtype).getBytes(StandardCharsets.US_ASCII);
      ByteBuffer header = little(4 + 4 + name.length + 6 * 4 + 4);
      header.putInt(1).putInt(name.length).put(name);
      header.putInt(config.gridX()).putInt(config.gridY()).putInt(config.gridZ());
      header.putInt(config.blockX()).putInt(config.blockY()).putInt(config.blockZ());
      header.putInt(buffers.size());
      out.write(header.array());
      for (byte[] buffer : buffers) {
        out.write(little(8).putLong(buffer.length).array());
        out.write(buffer);
      }
      out.write(little(4).putInt(args.list().size()).array());
      for (KernelArgs.Arg arg : args.list()) {
        out.write(encode(arg, index));
      }
      out.flush();
      int status = Integer.reverseBytes(in.readInt());
      if (status != 0) {
        byte[] message = in.readNBytes(status);
        throw new IllegalStateException("kernel emulator: " + new String(message, StandardCharsets.UTF_8));
      }
      for (byte[] buffer : buffers) {
        in.readFully(buffer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("talking to the kernel emulator", e);
    }
  }

  private static ByteBuffer little(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] encode(KernelArgs.Arg arg, Map<DeviceBuffer, Integer> index) {
    Object v = arg.value();
    return switch (arg.kind()) {
      case POINTER -> little(5).put((byte) 0).putInt(v == null ? -1 : index.get((DeviceBuffer) v)).array();
      case INT -> little(5).put((byte) 1).putInt((Integer) v).array();
      case LONG -> little(9).put((byte) 2).putLong((Long) v).array();
      case FLOAT -> little(5).put((byte) 3).putFloat((Float) v).array();
      case DOUBLE -> little(9).put((byte) 4).putDouble((Double) v).array();
      case LAYOUT -> {
        ByteBuffer b = little(1 + 8 * KernelAbi.LAYOUT_WORDS).put((byte) 5);
        for (long word : (long[]) v) {
          b.putLong(word);
        }
        yield b.array();
      }
    };
  }

  @Override
  public Optional<Gemm> gemm() {
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    try {
      out.write(little(4).putInt(0).array());
      out.flush();
      out.close();
      process.waitFor();
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
    } finally {
      memoryAndCopies.close();
    }
  }
}
