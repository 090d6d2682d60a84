package dev.vae.backend.cuda;

/**
 * Raw device allocation, the one thing {@link BufferPool} needs from a device: on a GPU
 * {@code cuMemAlloc} and {@code cuMemFree}; in host tests a counting fake.
 */
interface DeviceMemory {
  /**
   * A new buffer of exactly {@code bytes > 0} bytes.
   *
   * @throws OutOfDeviceMemoryException when the device has no room
   */
  DeviceBuffer allocate(long bytes);

  /** Returns a buffer to the device. */
  void free(DeviceBuffer buffer);
}
