package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The helper thread shares an op's chunks: each runs exactly once, failures reach the caller. */
class SecondThreadTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 64, 5000})
  void runsEveryChunkExactlyOnce(int chunks) {
    AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(chunks, 1));
    SecondThread.forEachChunk(chunks, runs::incrementAndGet);
    for (int i = 0; i < chunks; i++) {
      assertThat(runs.get(i)).as("runs of chunk %d of %d", i, chunks).isEqualTo(1);
    }
  }

  @Test
  void theHelperTakesChunksWhenTheCallerIsBusy() {
    assumeTrue(SecondThread.available(), "one processor: the caller runs every chunk itself");
    Set<Thread> workers = ConcurrentHashMap.newKeySet();
    SecondThread.forEachChunk(200, i -> {
      workers.add(Thread.currentThread());
      sleepOneMillisecond();
    });
    assertThat(workers).contains(Thread.currentThread()).hasSize(2);
  }

  @Test
  void aFailingChunkIsRethrownAfterTheOthersRan() {
    AtomicIntegerArray runs = new AtomicIntegerArray(100);
    assertThatThrownBy(() -> SecondThread.forEachChunk(100, i -> {
      runs.incrementAndGet(i);
      sleepOneMillisecond();
      if (i == 37) {
        throw new IllegalStateException("chunk 37 failed");
      }
    })).isInstanceOf(IllegalStateException.class).hasMessage("chunk 37 failed");
    for (int i = 0; i < 100; i++) {
      assertThat(runs.get(i)).as("runs of chunk %d", i).isEqualTo(1);
    }
    // The helper is free again: the next op still gets every chunk done.
    runsEveryChunkExactlyOnce(64);
  }

  @Test
  void twoCallersAtOnceBothFinishEveryChunk() {
    int chunks = 300;
    AtomicIntegerArray first = new AtomicIntegerArray(chunks);
    AtomicIntegerArray second = new AtomicIntegerArray(chunks);
    CompletableFuture<Void> other = CompletableFuture.runAsync(
        () -> SecondThread.forEachChunk(chunks, i -> {
          second.incrementAndGet(i);
          Thread.onSpinWait();
        }));
    SecondThread.forEachChunk(chunks, i -> {
      first.incrementAndGet(i);
      Thread.onSpinWait();
    });
    other.join();
    for (int i = 0; i < chunks; i++) {
      assertThat(first.get(i)).isEqualTo(1);
      assertThat(second.get(i)).isEqualTo(1);
    }
  }

  private static void sleepOneMillisecond() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
