package dev.vae.backend.cuda;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A caching allocator over {@link DeviceMemory}: buffers given back are kept by size and handed
 * out again, so that a training step that makes the same temporaries every time allocates from the
 * device only in its first step ({@code cuMemFree} also synchronises the device, which a step
 * should never wait for). Sizes are rounded up ({@link #roundUp}) so that nearby sizes share
 * buffers.
 *
 * <p>Reuse is safe without events because the backend issues all work on one stream: a kernel
 * that reads a buffer given back is queued before any kernel that writes its next owner.
 *
 * <p>Counts: {@link #liveBuffers()} buffers are out (owned by arrays or in use by an op), and
 * {@link #reservedBytes()} are held from the device, live or cached. Over a long run of identical
 * steps both stay flat; host tests check exactly that with a counting {@link DeviceMemory}.
 */
final class BufferPool implements AutoCloseable {
  /** Sizes up to this are rounded to {@link #SMALL_GRANULE} bytes, larger ones to {@link #LARGE_GRANULE}. */
  static final long SMALL_LIMIT = 1L << 20;
  static final long SMALL_GRANULE = 512;
  static final long LARGE_GRANULE = 1L << 20;

  private final DeviceMemory memory;
  private final Map<Long, ArrayDeque<DeviceBuffer>> cache = new HashMap<>();
  private final Set<DeviceBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
  private long liveBytes;
  private long cachedBytes;
  private long deviceAllocations;
  private boolean closed;

  BufferPool(DeviceMemory memory) {
    this.memory = memory;
  }

  /** The size class of a request: a multiple of 512 bytes up to 1 MiB, of 1 MiB above. */
  static long roundUp(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("a device buffer needs a positive size, got " + bytes);
    }
    long granule = bytes <= SMALL_LIMIT ? SMALL_GRANULE : LARGE_GRANULE;
    return (bytes + granule - 1) / granule * granule;
  }

  /** A buffer of at least {@code bytes > 0} bytes, from the cache when one of its size class is there. */
  synchronized DeviceBuffer take(long bytes) {
    if (closed) {
      throw new IllegalStateException("the CUDA backend is closed; its device memory is gone");
    }
    long size = roundUp(bytes);
    ArrayDeque<DeviceBuffer> free = cache.get(size);
    DeviceBuffer buffer = free == null ? null : free.poll();
    if (buffer != null) {
      cachedBytes -= size;
    } else {
      buffer = allocate(size);
    }
    live.add(buffer);
    liveBytes += size;
    return buffer;
  }

  private DeviceBuffer allocate(long size) {
    try {
      DeviceBuffer buffer = memory.allocate(size);
      deviceAllocations++;
      return buffer;
    } catch (OutOfDeviceMemoryException first) {
      trim();
      try {
        DeviceBuffer buffer = memory.allocate(size);
        deviceAllocations++;
        return buffer;
      } catch (OutOfDeviceMemoryException second) {
        throw new IllegalStateException("CUDA device out of memory: " + size + " more bytes needed while "
            + liveBytes + " bytes are held by " + live.size() + " live buffers (" + second.getMessage() + ")", second);
      }
    }
  }

  /** Gives a buffer back for reuse; after {@link #close()} (which freed it) nothing happens. */
  synchronized void give(DeviceBuffer buffer) {
    if (!live.remove(buffer)) {
      if (closed) {
        return;
      }
      throw new IllegalStateException(buffer + " was not handed out by this pool, or was given back twice");
    }
    long size = buffer.bytes();
    liveBytes -= size;
    cache.computeIfAbsent(size, s -> new ArrayDeque<>()).push(buffer);
    cachedBytes += size;
  }

  /** Returns every cached buffer to the device. */
  synchronized void trim() {
    for (ArrayDeque<DeviceBuffer> buffers : cache.values()) {
      for (DeviceBuffer buffer : buffers) {
        memory.free(buffer);
      }
    }
    cache.clear();
    cachedBytes = 0;
  }

  /** Buffers handed out and not given back. */
  synchronized long liveBuffers() {
    return live.size();
  }

  /** Bytes of the buffers handed out and not given back. */
  synchronized long liveBytes() {
    return liveBytes;
  }

  /** Bytes held in the cache for reuse. */
  synchronized long cachedBytes() {
    return cachedBytes;
  }

  /** Bytes held from the device: live and cached. */
  synchronized long reservedBytes() {
    return liveBytes + cachedBytes;
  }

  /** How many times the pool has allocated from the device. */
  synchronized long deviceAllocations() {
    return deviceAllocations;
  }

  /**
   * Returns every buffer to the device, cached or still out (arrays not freed by then must not be
   * used again), and takes no more requests. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (!closed) {
      trim();
      for (DeviceBuffer buffer : live) {
        memory.free(buffer);
      }
      live.clear();
      liveBytes = 0;
      closed = true;
    }
  }
}
