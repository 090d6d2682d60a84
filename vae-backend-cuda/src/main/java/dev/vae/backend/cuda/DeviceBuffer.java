package dev.vae.backend.cuda;

/**
 * One block of device memory: the handle its {@link DeviceMemory} gave out (a {@code CUdeviceptr}
 * on a real device) and its size in bytes.
 */
final class DeviceBuffer {
  private final Object handle;
  private final long bytes;

  DeviceBuffer(Object handle, long bytes) {
    this.handle = handle;
    this.bytes = bytes;
  }

  /** The memory's own handle; only the {@link DeviceMemory} that made it interprets it. */
  Object handle() {
    return handle;
  }

  long bytes() {
    return bytes;
  }

  @Override
  public String toString() {
    return "DeviceBuffer(" + bytes + " bytes)";
  }
}
