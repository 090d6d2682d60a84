package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caching pool: size classes, reuse, flat memory over repeated steps, out-of-memory and close. */
class BufferPoolTest {
  private final CountingMemory memory = new CountingMemory();
  private final BufferPool pool = new BufferPool(memory);

  @Test
  void sizesRoundToTheirClass() {
    assertThat(BufferPool.roundUp(1)).isEqualTo(512);
    assertThat(BufferPool.roundUp(512)).isEqualTo(512);
    assertThat(BufferPool.roundUp(513)).isEqualTo(1024);
    assertThat(BufferPool.roundUp(1 << 20)).isEqualTo(1 << 20);
    assertThat(BufferPool.roundUp((1 << 20) + 1)).isEqualTo(2 << 20);
    assertThatIllegalArgumentException().isThrownBy(() -> BufferPool.roundUp(0));
  }

  @Test
  void givenBackBuffersAreReusedBySizeClass() {
    DeviceBuffer a = pool.take(100);
    assertThat(pool.liveBuffers()).isEqualTo(1);
    pool.give(a);
    assertThat(pool.liveBuffers()).isZero();
    assertThat(pool.cachedBytes()).isEqualTo(512);
    DeviceBuffer b = pool.take(300);
    assertThat(b).as("same size class, same buffer").isSameAs(a);
    assertThat(pool.cachedBytes()).isZero();
    DeviceBuffer c = pool.take(600);
    assertThat(c).isNotSameAs(a);
    assertThat(memory.allocations()).isEqualTo(2);
  }

  @Test
  void repeatedStepsAllocateFromTheDeviceOnlyOnce() {
    long[] sizes = {4, 4096, 100_000, 3 << 20, 4, 4, 77};
    for (int step = 0; step < 200; step++) {
      List<DeviceBuffer> taken = new ArrayList<>();
      for (long size : sizes) {
        taken.add(pool.take(size));
      }
      taken.forEach(pool::give);
      assertThat(pool.liveBuffers()).isZero();
      assertThat(memory.allocations()).as("device allocations after step %d", step).isEqualTo(sizes.length);
      assertThat(memory.outstanding()).isEqualTo(sizes.length);
    }
    assertThat(pool.reservedBytes()).isEqualTo(memory.outstandingBytes());
  }

  @Test
  void outOfMemoryFreesTheCacheAndRetriesOnce() {
    memory.capacity(4096);
    DeviceBuffer small = pool.take(2048);
    pool.give(small);
    DeviceBuffer big = pool.take(4096);
    assertThat(memory.frees()).as("the cached 2 KiB went back to make room").isEqualTo(1);
    assertThat(big.bytes()).isEqualTo(4096);
    assertThatIllegalStateException().isThrownBy(() -> pool.take(512))
        .withMessageContaining("CUDA device out of memory").withMessageContaining("4096 bytes are held by 1 live");
    assertThat(pool.liveBuffers()).isEqualTo(1);
  }

  @Test
  void givingBackTwiceIsCaught() {
    DeviceBuffer a = pool.take(8);
    pool.give(a);
    assertThatIllegalStateException().isThrownBy(() -> pool.give(a)).withMessageContaining("twice");
  }

  @Test
  void closeReturnsEveryBufferAndRefusesMore() {
    DeviceBuffer kept = pool.take(10);
    DeviceBuffer cached = pool.take(5000);
    pool.give(cached);
    pool.close();
    assertThat(memory.outstanding()).isZero();
    assertThat(pool.liveBuffers()).isZero();
    pool.give(kept);
    pool.close();
    assertThat(memory.frees()).isEqualTo(2);
    assertThatIllegalStateException().isThrownBy(() -> pool.take(1)).withMessageContaining("closed");
  }
}
