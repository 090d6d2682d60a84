package dev.vae.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The backend's one threading policy, for loops and matrix products alike. Work worth at least
 * {@link #GRAIN} elements of arithmetic is cut into chunks that the calling thread and one helper
 * thread for each other core take from a shared counter; smaller work runs on the caller alone.
 * The caller never waits for a helper to start, so a helper that wakes late finds fewer chunks or
 * none. Helpers spin for {@link #SPIN_NANOS} after each piece of work before they park: a step's
 * ops follow each other within microseconds, and waking a parked thread on a virtual machine's
 * second core can take half a millisecond (BENCHMARKS.md, "The CPU backend on host arrays").
 * OpenBLAS itself runs on one thread ({@link Blas}); large products are cut into bands here.
 */
final class Parallel {
  /** The least work, in elements of simple arithmetic, that is shared with the helpers. */
  static final long GRAIN = 1 << 15;

  /** The cost of an element of a transcendental function (exp, log) against one of arithmetic. */
  static final int TRANSCENDENTAL = 16;

  /** How long a helper keeps looking for work after finishing some, before it parks. */
  static final long SPIN_NANOS = 100_000;

  private static final int THREADS = Runtime.getRuntime().availableProcessors();
  private static final Helper[] HELPERS = new Helper[THREADS - 1];
  private static final Object ONE_JOB_AT_A_TIME = new Object();
  private static volatile Job current;

  static {
    for (int i = 0; i < HELPERS.length; i++) {
      HELPERS[i] = new Helper("vae-cpu-helper-" + (i + 1));
    }
  }

  /** Receives one chunk {@code [from, to)} of a loop's range. */
  interface Range {
    void run(int from, int to);
  }

  /** Runs chunk {@code index} of a job. */
  interface Chunk {
    void run(int index);
  }

  private Parallel() {}

  /** Threads that take part in shared work: the caller and the helpers. */
  static int threads() {
    return THREADS;
  }

  /** Runs {@code body} over {@code [0, n)} of items worth {@code cost} elements each, shared when large enough. */
  static void forRange(int n, long cost, Range body) {
    int chunks = (int) Math.min(2L * THREADS, Math.min(n, (long) n * cost / GRAIN));
    if (chunks <= 1 || HELPERS.length == 0) {
      body.run(0, n);
      return;
    }
    forChunks(chunks, c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
  }

  /** Runs every chunk in {@code [0, chunks)} once, on the caller and any helper that is awake. */
  static void forChunks(int chunks, Chunk body) {
    if (chunks <= 1 || HELPERS.length == 0 || Thread.currentThread() instanceof Helper) {
      for (int c = 0; c < chunks; c++) {
        body.run(c);
      }
      return;
    }
    synchronized (ONE_JOB_AT_A_TIME) {
      Job job = new Job(chunks, body);
      current = job;
      for (Helper helper : HELPERS) {
        if (helper.parked) {
          LockSupport.unpark(helper);
        }
      }
      job.work();
      while (job.done.get() < chunks) {
        Thread.onSpinWait();
      }
      current = null;
      if (job.failure instanceof Error e) {
        throw e;
      }
      if (job.failure instanceof RuntimeException e) {
        throw e;
      }
    }
  }

  /** One piece of shared work: its chunks, handed out by a counter. */
  private static final class Job {
    private final int chunks;
    private final Chunk body;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private volatile Throwable failure;

    Job(int chunks, Chunk body) {
      this.chunks = chunks;
      this.body = body;
    }

    void work() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          body.run(c);
        } catch (RuntimeException | Error e) {
          failure = e;
        } finally {
          done.incrementAndGet();
        }
      }
    }
  }

  /** A daemon thread that takes chunks of the current job, spins a while, then parks. */
  private static final class Helper extends Thread {
    private volatile boolean parked;

    Helper(String name) {
      super(name);
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      Job last = null;
      long idleSince = System.nanoTime();
      while (true) {
        Job job = current;
        if (job != null && job != last) {
          job.work();
          last = job;
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          parked = true;
          if (current == null || current == last) {
            LockSupport.park(this);
          }
          parked = false;
          idleSince = System.nanoTime();
        }
      }
    }
  }
}
