package dev.vae.backend.cuda;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Device memory on the heap that counts what is out: each buffer's handle is a byte array of its
 * size. It can be told to run out of memory above a number of bytes.
 */
final class CountingMemory implements DeviceMemory {
  private final Set<DeviceBuffer> outstanding = Collections.newSetFromMap(new IdentityHashMap<>());
  private long outstandingBytes;
  private long allocations;
  private long frees;
  private long capacity = Long.MAX_VALUE;

  @Override
  public synchronized DeviceBuffer allocate(long bytes) {
    if (bytes <= 0) {
      throw new AssertionError("the pool asked the device for " + bytes + " bytes");
    }
    if (outstandingBytes + bytes > capacity) {
      throw new OutOfDeviceMemoryException("fake device full: " + outstandingBytes + " of " + capacity + " bytes used");
    }
    DeviceBuffer buffer = new DeviceBuffer(new byte[Math.toIntExact(bytes)], bytes);
    outstanding.add(buffer);
    outstandingBytes += bytes;
    allocations++;
    return buffer;
  }

  @Override
  public synchronized void free(DeviceBuffer buffer) {
    if (!outstanding.remove(buffer)) {
      throw new AssertionError(buffer + " freed twice or never allocated here");
    }
    outstandingBytes -= buffer.bytes();
    frees++;
  }

  synchronized void capacity(long bytes) {
    capacity = bytes;
  }

  synchronized int outstanding() {
    return outstanding.size();
  }

  synchronized long outstandingBytes() {
    return outstandingBytes;
  }

  synchronized long allocations() {
    return allocations;
  }

  synchronized long frees() {
    return frees;
  }
}
