package dev.vae.core.data;

import dev.vae.api.Rng;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Cuts a data set into mini-batches, epoch after epoch. With shuffling, the order of epoch e is a
 * uniformly random permutation drawn from a stream that depends only on (seed, e), so any batch of
 * any epoch can be made again on its own: a run resumed at (epoch, batch) sees exactly the data
 * the interrupted run would have seen. Binarisation (see {@link Binarization}) is applied as the
 * batches are made.
 *
 * <p>Instances are immutable in what they produce and safe to share between threads.
 *
 * <pre>{@code
 * Batches batches = Batches.of(train).batchSize(100).seed(7).binarization(Binarization.DYNAMIC).build();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *   for (Batch batch : batches.epoch(epoch)) { ... }
 * }
 * }</pre>
 */
public final class Batches {
  private static final long SHUFFLE_STREAM = 0x5348_5546_464CL;

  private final DataSet data;
  private final int batchSize;
  private final boolean dropLast;
  private final boolean shuffle;
  private final long seed;
  private final Binarization binarization;
  private volatile CachedOrder cached;

  private record CachedOrder(int epoch, int[] order) {}

  private Batches(Builder b) {
    this.binarization = b.binarization;
    this.seed = b.seed;
    this.data = b.binarization.prepare(b.data, b.seed);
    this.batchSize = b.batchSize;
    this.dropLast = b.dropLast;
    this.shuffle = b.shuffle;
  }

  /** Starts configuring batches over {@code data}: batch size 100, shuffled, seed 0, no drop-last. */
  public static Builder of(DataSet data) {
    return new Builder(data);
  }

  /** The data the batches are cut from, after static binarisation if chosen. */
  public DataSet data() {
    return data;
  }

  /** The number of examples per batch (the last batch may hold fewer unless dropLast). */
  public int batchSize() {
    return batchSize;
  }

  /** Whether a final, smaller batch is left out. */
  public boolean dropLast() {
    return dropLast;
  }

  /** Whether each epoch visits the examples in a fresh random order. */
  public boolean shuffle() {
    return shuffle;
  }

  /** The seed of the shuffles and binarisation draws. */
  public long seed() {
    return seed;
  }

  /** How values are binarised. */
  public Binarization binarization() {
    return binarization;
  }

  /** Batches in one epoch. */
  public int batchesPerEpoch() {
    int n = data.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /**
   * The order in which epoch {@code epoch} visits the examples: a permutation of 0..size-1 that
   * depends only on (seed, epoch), or the identity without shuffling.
   */
  public int[] order(int epoch) {
    return orderShared(epoch).clone();
  }

  private int[] orderShared(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epochs count from 0, got " + epoch);
    }
    CachedOrder c = cached;
    if (c != null && c.epoch == epoch) {
      return c.order;
    }
    int[] order;
    if (shuffle) {
      order = Draws.permutation(data.size(), new Rng(seed).fork(SHUFFLE_STREAM).fork(epoch));
    } else {
      order = new int[data.size()];
      Arrays.setAll(order, i -> i);
    }
    cached = new CachedOrder(epoch, order);
    return order;
  }

  /** The data-set indices of the examples in one batch. */
  public int[] indices(int epoch, int batch) {
    int[] order = orderShared(epoch);
    int from = start(batch);
    return Arrays.copyOfRange(order, from, from + rowsIn(batch));
  }

  /** Makes one batch of one epoch; the same (epoch, batch) always gives the same values. */
  public Batch batch(int epoch, int batch) {
    int rows = rowsIn(batch);
    float[] values = new float[rows * data.features()];
    int[] labels = data.hasLabels() ? new int[rows] : null;
    int[] indices = indices(epoch, batch);
    fillFrom(indices, epoch, batch, values, labels);
    return new Batch(epoch, batch, rows, data.features(), values, labels, indices);
  }

  /**
   * Makes one batch into caller-owned buffers (no allocation for the values) and returns its
   * number of rows.
   *
   * @param values receives rows × features floats from its start
   * @param labels receives the labels, or null to skip them
   */
  public int fill(int epoch, int batch, float[] values, int[] labels) {
    int rows = rowsIn(batch);
    int[] order = orderShared(epoch);
    int from = start(batch);
    fillFrom(Arrays.copyOfRange(order, from, from + rows), epoch, batch, values, labels);
    return rows;
  }

  private void fillFrom(int[] indices, int epoch, int batch, float[] values, int[] labels) {
    int rows = indices.length;
    data.copyRows(indices, 0, rows, values);
    if (labels != null) {
      data.copyLabels(indices, 0, rows, labels);
    }
    binarization.applyToBatch(
        values, rows, data.features(), indices, data.name(), seed, epoch, batch);
  }

  /** The batches of one epoch, in order. */
  public Iterable<Batch> epoch(int epoch) {
    return epoch(epoch, 0);
  }

  /** The batches of one epoch from {@code firstBatch} on: how a resumed run continues an epoch. */
  public Iterable<Batch> epoch(int epoch, int firstBatch) {
    if (firstBatch < 0 || firstBatch > batchesPerEpoch()) {
      throw new IllegalArgumentException(
          "first batch " + firstBatch + " is outside 0.." + batchesPerEpoch());
    }
    orderShared(epoch);
    return () -> new Iterator<>() {
      private int next = firstBatch;

      @Override
      public boolean hasNext() {
        return next < batchesPerEpoch();
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException("epoch " + epoch + " has " + batchesPerEpoch() + " batches");
        }
        return batch(epoch, next++);
      }
    };
  }

  private int start(int batch) {
    if (batch < 0 || batch >= batchesPerEpoch()) {
      throw new IndexOutOfBoundsException(
          "batch " + batch + " of an epoch with " + batchesPerEpoch() + " batches");
    }
    return batch * batchSize;
  }

  private int rowsIn(int batch) {
    int from = start(batch);
    return Math.min(batchSize, data.size() - from);
  }

  @Override
  public String toString() {
    return "Batches(" + data.name() + ", batch size " + batchSize + (dropLast ? ", drop last" : "")
        + (shuffle ? ", shuffled" : "") + ", seed " + seed + ", " + binarization + ")";
  }

  /** Configures {@link Batches}. */
  public static final class Builder {
    private final DataSet data;
    private int batchSize = 100;
    private boolean dropLast;
    private boolean shuffle = true;
    private long seed;
    private Binarization binarization = Binarization.NONE;

    private Builder(DataSet data) {
      this.data = Objects.requireNonNull(data, "data");
    }

    /** Examples per batch, positive. */
    public Builder batchSize(int size) {
      if (size <= 0) {
        throw new IllegalArgumentException("batch size must be positive, got " + size);
      }
      this.batchSize = size;
      return this;
    }

    /** Leave out the last batch of an epoch when it would be smaller than the batch size. */
    public Builder dropLast(boolean drop) {
      this.dropLast = drop;
      return this;
    }

    /** Visit the examples in a new random order each epoch (default), or always in data order. */
    public Builder shuffle(boolean enabled) {
      this.shuffle = enabled;
      return this;
    }

    /** The seed of shuffles and binarisation. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** How values become 0/1; default {@link Binarization#NONE}. */
    public Builder binarization(Binarization mode) {
      this.binarization = Objects.requireNonNull(mode, "binarization");
      return this;
    }

    /**
     * The batches; a static binarisation is drawn here, once.
     *
     * @throws IllegalArgumentException if binarisation is asked for and some value is outside [0, 1]
     */
    public Batches build() {
      return new Batches(this);
    }
  }
}
