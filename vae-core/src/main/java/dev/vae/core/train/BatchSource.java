package dev.vae.core.train;

import dev.vae.api.DType;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.BatchPrefetcher;
import dev.vae.core.data.Batches;
import java.util.Arrays;

/**
 * Where the trainer's batches come from, epoch by epoch: plain batches ({@link #of}) or an
 * unlabelled batch paired with a labelled one every step ({@link #paired}). Every batch is a
 * function of the seed, the epoch and the step, so a resumed run sees what an uninterrupted one would.
 */
public interface BatchSource {
  /** Steps in an epoch. */
  int batchesPerEpoch();

  /** Examples per batch (of the unpaired batches). */
  int batchSize();

  /** Values per example. */
  int features();

  /** The data set's name, for messages. */
  String name();

  /** The batches of epoch {@code epoch} (from 0), made ahead where that pays; close it after the epoch. */
  Epoch epoch(int epoch);

  /** One epoch's batches, in order. */
  interface Epoch extends AutoCloseable {
    /** Batch {@code b} as tensors on {@code engine} in {@code dtype}. */
    TrainingBatch batch(int b, Engine engine, DType dtype);

    @Override
    void close();
  }

  /** Every batch of {@code batches}, the next one made on another thread while a step runs. */
  static BatchSource of(Batches batches) {
    return new Plain(batches);
  }

  /**
   * Each step pairs the next batch of {@code unlabelled} with the next of {@code labelled}, which
   * must carry labels: the labelled set is small, so its batches cycle, reshuffled each time round.
   * An epoch is one pass over the unlabelled batches.
   */
  static BatchSource paired(Batches labelled, Batches unlabelled) {
    if (!labelled.data().hasLabels()) {
      throw new IllegalArgumentException("the labelled data '" + labelled.data().name() + "' have no labels; "
          + "expected a labelled data set (e.g. the labelled part of DataSet.balancedLabelledSubset)");
    }
    if (labelled.data().features() != unlabelled.data().features()) {
      throw new IllegalArgumentException("labelled data have " + labelled.data().features()
          + " features but unlabelled data " + unlabelled.data().features());
    }
    return new Paired(labelled, unlabelled);
  }

  /** Plain batches with the next one prefetched. */
  final class Plain implements BatchSource {
    private final Batches batches;

    Plain(Batches batches) {
      this.batches = batches;
    }

    @Override
    public int batchesPerEpoch() {
      return batches.batchesPerEpoch();
    }

    @Override
    public int batchSize() {
      return batches.batchSize();
    }

    @Override
    public int features() {
      return batches.data().features();
    }

    @Override
    public String name() {
      return batches.data().name();
    }

    @Override
    public Epoch epoch(int epoch) {
      BatchPrefetcher prefetched = new BatchPrefetcher(batches, epoch, false);
      float[] buffer = new float[batches.batchSize() * features()];
      return new Epoch() {
        @Override
        public TrainingBatch batch(int b, Engine engine, DType dtype) {
          int rows = prefetched.fill(b, buffer, null);
          return TrainingBatch.of(TrainingBatch.rows(engine, dtype, buffer, rows, features()));
        }

        @Override
        public void close() {
          prefetched.close();
        }
      };
    }
  }

  /** Unlabelled batches, prefetched, each paired with the next labelled batch of a cycle. */
  final class Paired implements BatchSource {
    private final Batches labelled;
    private final Plain unlabelled;

    Paired(Batches labelled, Batches unlabelled) {
      this.labelled = labelled;
      this.unlabelled = new Plain(unlabelled);
    }

    @Override
    public int batchesPerEpoch() {
      return unlabelled.batchesPerEpoch();
    }

    @Override
    public int batchSize() {
      return unlabelled.batchSize();
    }

    @Override
    public int features() {
      return unlabelled.features();
    }

    @Override
    public String name() {
      return unlabelled.name() + " with " + labelled.data().name();
    }

    @Override
    public Epoch epoch(int epoch) {
      Epoch plain = unlabelled.epoch(epoch);
      int m = features();
      int steps = batchesPerEpoch();
      int cycle = labelled.batchesPerEpoch();
      float[] values = new float[labelled.batchSize() * m];
      int[] labels = new int[labelled.batchSize()];
      return new Epoch() {
        @Override
        public TrainingBatch batch(int b, Engine engine, DType dtype) {
          long visit = (long) epoch * steps + b;
          int rows = labelled.fill((int) (visit / cycle), (int) (visit % cycle), values, labels);
          TrainingBatch x = plain.batch(b, engine, dtype);
          return new TrainingBatch(x.x(), TrainingBatch.rows(engine, dtype, values, rows, m),
              Arrays.copyOf(labels, rows));
        }

        @Override
        public void close() {
          plain.close();
        }
      };
    }
  }
}
