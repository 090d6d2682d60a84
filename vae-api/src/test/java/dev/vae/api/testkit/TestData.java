package dev.vae.api.testkit;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Seeded random shapes and arrays for one test, so a failure reproduces from the seed and label
 * that {@link #where} puts in every assertion message. Shapes mix fixed edge cases (scalars, empty
 * and size-1 axes, several ranks) with random ones.
 */
public final class TestData {
  /** Base seed of every test; override with {@code -Dvae.contract.seed=N} to explore others. */
  public static final long BASE_SEED = Long.getLong("vae.contract.seed", 20240611L);

  private static final List<Shape> FIXED_SHAPES = List.of(
      Shape.scalar(), Shape.of(1), Shape.of(5), Shape.of(0), Shape.of(2, 3), Shape.of(3, 0),
      Shape.of(1, 1), Shape.of(2, 3, 4), Shape.of(2, 1, 3, 2));

  private static final List<Shape[]> FIXED_PAIRS = List.of(
      new Shape[] {Shape.scalar(), Shape.scalar()},
      new Shape[] {Shape.scalar(), Shape.of(3)},
      new Shape[] {Shape.of(4), Shape.scalar()},
      new Shape[] {Shape.of(2, 3), Shape.of(2, 3)},
      new Shape[] {Shape.of(2, 3), Shape.of(3)},
      new Shape[] {Shape.of(2, 1), Shape.of(1, 3)},
      new Shape[] {Shape.of(3, 1, 2), Shape.of(4, 1)},
      new Shape[] {Shape.of(0), Shape.of(1)},
      new Shape[] {Shape.of(2, 0, 3), Shape.of(3)},
      new Shape[] {Shape.of(5, 1, 1, 2), Shape.of(1, 3, 1)});

  private final String label;
  private final long seed;
  private final Random random;

  /** Data for the test named {@code label}; its seed mixes the base seed with the label. */
  public TestData(String label) {
    this.label = label;
    this.seed = BASE_SEED * 31 + label.hashCode();
    this.random = new Random(seed);
  }

  /** "label, seed N: what", for assertion messages. */
  public String where(String what) {
    return "[" + label + ", seed " + seed + " (vae.contract.seed=" + BASE_SEED + ")] " + what;
  }

  public Random random() {
    return random;
  }

  public int nextInt(int lowInclusive, int highInclusive) {
    return lowInclusive + random.nextInt(highInclusive - lowInclusive + 1);
  }

  public boolean nextBoolean() {
    return random.nextBoolean();
  }

  // ---- shapes

  /** The fixed edge-case shapes followed by {@code randomCount} random ones of rank 0..4. */
  public List<Shape> shapes(int randomCount) {
    List<Shape> shapes = new ArrayList<>(FIXED_SHAPES);
    for (int i = 0; i < randomCount; i++) {
      shapes.add(shape(0, 4));
    }
    return shapes;
  }

  /** A random shape: axes mostly 2..4, sometimes 1, rarely 0. */
  public Shape shape(int minRank, int maxRank) {
    int[] dims = new int[nextInt(minRank, maxRank)];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = dim();
    }
    return Shape.of(dims);
  }

  private int dim() {
    double u = random.nextDouble();
    return u < 0.06 ? 0 : u < 0.26 ? 1 : nextInt(2, 4);
  }

  /** Fixed and random pairs of shapes that broadcast together, some of different ranks. */
  public List<Shape[]> broadcastPairs(int randomCount) {
    List<Shape[]> pairs = new ArrayList<>(FIXED_PAIRS);
    for (int i = 0; i < randomCount; i++) {
      pairs.add(broadcastable(2));
    }
    return pairs;
  }

  /**
   * {@code count} random shapes that broadcast together: each drops some leading axes of a random
   * result shape and sets some of the rest to 1.
   */
  public Shape[] broadcastable(int count) {
    Shape result = shape(0, 4);
    Shape[] shapes = new Shape[count];
    for (int s = 0; s < count; s++) {
      shapes[s] = broadcastsTo(result);
    }
    return shapes;
  }

  /** A random shape that broadcasts to {@code target}. */
  public Shape broadcastsTo(Shape target) {
    int rank = nextInt(0, target.rank());
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      int targetDim = target.dim(target.rank() - rank + i);
      dims[i] = random.nextDouble() < 0.3 ? 1 : targetDim;
    }
    return Shape.of(dims);
  }

  /** A random shape with the same number of elements: axes shuffled, merged or padded with 1. */
  public Shape reshapeOf(Shape shape) {
    List<Integer> dims = new ArrayList<>();
    for (int d : shape.dims()) {
      dims.add(d);
    }
    Collections.shuffle(dims, random);
    if (dims.size() >= 2 && random.nextBoolean()) {
      int i = random.nextInt(dims.size() - 1);
      dims.set(i, dims.get(i) * dims.remove(i + 1));
    }
    if (random.nextBoolean()) {
      dims.add(random.nextInt(dims.size() + 1), 1);
    }
    return Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
  }

  /** A random permutation of 0..n-1. */
  public int[] permutation(int n) {
    List<Integer> axes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      axes.add(i);
    }
    Collections.shuffle(axes, random);
    return axes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** {@code count} row indices in [0, rows), with the second equal to the first when count ≥ 2. */
  public int[] indicesWithRepeats(int count, int rows) {
    int[] indices = new int[count];
    for (int i = 0; i < count; i++) {
      indices[i] = random.nextInt(rows);
    }
    if (count >= 2) {
      indices[1] = indices[0];
    }
    return indices;
  }

  // ---- arrays

  /** Uniform values in [lo, hi). */
  public HostArray uniform(Shape shape, DType dtype, double lo, double hi) {
    double[] data = new double[shape.sizeAsInt()];
    for (int i = 0; i < data.length; i++) {
      data[i] = lo + (hi - lo) * random.nextDouble();
    }
    return new HostArray(data, shape, dtype);
  }

  /** Log-uniform positive values in [lo, hi), so small and large magnitudes are equally common. */
  public HostArray logUniform(Shape shape, DType dtype, double lo, double hi) {
    double[] data = new double[shape.sizeAsInt()];
    for (int i = 0; i < data.length; i++) {
      data[i] = lo * Math.exp(Math.log(hi / lo) * random.nextDouble());
    }
    return new HostArray(data, shape, dtype);
  }

  /** Values with a random sign and a magnitude in [lo, hi): never near zero. */
  public HostArray awayFromZero(Shape shape, DType dtype, double lo, double hi) {
    double[] data = uniform(shape, dtype, lo, hi).data();
    for (int i = 0; i < data.length; i++) {
      data[i] = random.nextBoolean() ? data[i] : -data[i];
    }
    return new HostArray(data, shape, dtype);
  }

  /** Whole numbers in [lo, hi], so comparisons meet ties. */
  public HostArray integers(Shape shape, DType dtype, int lo, int hi) {
    double[] data = new double[shape.sizeAsInt()];
    for (int i = 0; i < data.length; i++) {
      data[i] = nextInt(lo, hi);
    }
    return new HostArray(data, shape, dtype);
  }

  /** Values picked from {@code choices}. */
  public HostArray choices(Shape shape, DType dtype, double... choices) {
    double[] data = new double[shape.sizeAsInt()];
    for (int i = 0; i < data.length; i++) {
      data[i] = choices[random.nextInt(choices.length)];
    }
    return new HostArray(data, shape, dtype);
  }

  /** Given values. */
  public static HostArray values(Shape shape, DType dtype, double... values) {
    return new HostArray(values, shape, dtype);
  }

  @Override
  public String toString() {
    return where("test data");
  }
}
