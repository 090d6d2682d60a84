package dev.vae.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One helper thread that shares the chunks of an op with the calling thread, for work too small
 * for a thread pool: a matrix product of a training step takes about a millisecond, while waking
 * a sleeping thread on a virtual machine's second core can take half of that (BENCHMARKS.md,
 * "Matrix products on two threads"). The caller never waits for the helper to wake: both threads
 * take chunks from one counter, so a helper that arrives late finds fewer chunks or none, and the
 * op takes at worst as long as on the caller alone. The helper spins briefly after each op, so
 * the next op of a step usually finds it awake, then parks.
 *
 * <p>One caller at a time gets the helper; a second caller, and every caller on a machine with one
 * processor, runs all chunks itself. All chunks have run when {@link #forEachChunk} returns, and the
 * first exception from any chunk is rethrown there.
 */
final class SecondThread {
  /** How long the helper keeps looking for work after an op before it parks. */
  private static final long SPIN_NANOS = 50_000;

  private static final SecondThread INSTANCE =
      Runtime.getRuntime().availableProcessors() > 1 ? new SecondThread() : null;

  /** Runs chunk {@code index} of an op. */
  @FunctionalInterface
  interface Chunk {
    void run(int index);
  }

  private final AtomicBoolean taken = new AtomicBoolean();
  private final Thread thread;
  private volatile Job posted;

  private SecondThread() {
    thread = new Thread(this::serve, "vae-cpu-second-thread");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether a second thread takes part in {@link #forEachChunk} on this machine. */
  static boolean available() {
    return INSTANCE != null;
  }

  /**
   * Runs {@code body} for every index in {@code [0, chunks)}, on the calling thread and, when it is
   * free and awake in time, the helper; returns when every chunk has finished.
   */
  static void forEachChunk(int chunks, Chunk body) {
    if (chunks <= 1 || INSTANCE == null || !INSTANCE.taken.compareAndSet(false, true)) {
      for (int i = 0; i < chunks; i++) {
        body.run(i);
      }
      return;
    }
    try {
      INSTANCE.share(new Job(chunks, body));
    } finally {
      INSTANCE.taken.set(false);
    }
  }

  private void share(Job job) {
    posted = job;
    LockSupport.unpark(thread);
    job.work();
    posted = null;
    job.awaitHelper();
    job.rethrow();
  }

  private void serve() {
    Job last = null;
    while (true) {
      Job job = awaitJob(last);
      job.join();
      last = job;
    }
  }

  private Job awaitJob(Job last) {
    long idleSince = System.nanoTime();
    while (true) {
      Job job = posted;
      if (job != null && job != last) {
        return job;
      }
      if (System.nanoTime() - idleSince < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
  }

  /** One op's chunks, the counter both threads take them from, and what the helper is doing. */
  private static final class Job {
    private final int chunks;
    private final Chunk body;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger helpersInside = new AtomicInteger();
    private volatile Throwable failure;

    Job(int chunks, Chunk body) {
      this.chunks = chunks;
      this.body = body;
    }

    /** Runs chunks until none is left. */
    void work() {
      for (int i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
        try {
          body.run(i);
        } catch (RuntimeException | Error e) {
          if (failure == null) {
            failure = e;
          }
        }
      }
    }

    /** The helper's part: registers first, so that the caller waits for any chunk it takes. */
    void join() {
      helpersInside.incrementAndGet();
      try {
        work();
      } finally {
        helpersInside.decrementAndGet();
      }
    }

    void awaitHelper() {
      long since = System.nanoTime();
      while (helpersInside.get() > 0) {
        if (System.nanoTime() - since < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          Thread.yield(); // the helper may have lost its core mid-chunk
        }
      }
    }

    void rethrow() {
      Throwable t = failure;
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error e) {
        throw e;
      }
    }
  }
}
